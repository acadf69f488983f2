import { type Kysely, type Migration, PostgresAdapter, sql } from "kysely";

// One migration for both dialects; the only differences are the blob type and, on PostgreSQL,
// byte-wise collation so names sort and compare exactly as on SQLite.
function dialectOf(db: Kysely<unknown>) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return {
    blob: postgres ? ("bytea" as const) : ("blob" as const),
    nameCollation: postgres ? sql`collate "C"` : sql``,
  };
}

export const initial: Migration = {
  async up(db: Kysely<unknown>) {
    const { blob, nameCollation } = dialectOf(db);

    await db.schema
      .createTable("tenants")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull().unique().modifyFront(nameCollation))
      .addColumn("created", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("api_tokens")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("token_hash", "text", (c) => c.notNull().unique())
      .addColumn("created", "text", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("expires_at", "text")
      .addColumn("revoked_at", "text")
      .execute();
    await db.schema
      .createIndex("api_tokens_tenant")
      .on("api_tokens")
      .columns(["tenant_id", "created"])
      .execute();

    await db.schema
      .createTable("secrets")
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("name", "text", (c) => c.notNull().modifyFront(nameCollation))
      .addColumn("current_version", "integer", (c) => c.notNull())
      .addColumn("created", "text", (c) => c.notNull())
      .addColumn("updated", "text", (c) => c.notNull())
      .addColumn("updated_by", "text", (c) => c.notNull())
      .addColumn("deleted", "integer", (c) => c.notNull().defaultTo(0))
      .addPrimaryKeyConstraint("secrets_pk", ["tenant_id", "name"])
      .execute();

    await db.schema
      .createTable("secret_versions")
      .addColumn("tenant_id", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull().modifyFront(nameCollation))
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("created", "text", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("deleted", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("key_id", "text")
      .addColumn("wrapped_key", blob)
      .addColumn("iv", blob)
      .addColumn("ciphertext", blob)
      .addColumn("auth_tag", blob)
      .addPrimaryKeyConstraint("secret_versions_pk", ["tenant_id", "name", "version"])
      .addForeignKeyConstraint("secret_versions_secret", ["tenant_id", "name"], "secrets", [
        "tenant_id",
        "name",
      ])
      .execute();
    // Key rotation finds the data keys a master key wraps; startup checks every key is present.
    await db.schema
      .createIndex("secret_versions_key")
      .on("secret_versions")
      .column("key_id")
      .execute();

    await db.schema
      .createTable("audit_events")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("secret_name", "text", (c) => c.modifyFront(nameCollation))
      .addColumn("version", "integer")
      .addColumn("outcome", "text", (c) => c.notNull())
      .addColumn("actor", "text", (c) => c.notNull())
      .addColumn("actor_token_id", "text")
      .addColumn("target", "text")
      .addColumn("at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("audit_events_tenant_at")
      .on("audit_events")
      .columns(["tenant_id", "at"])
      .execute();
    await db.schema
      .createIndex("audit_events_tenant_secret")
      .on("audit_events")
      .columns(["tenant_id", "secret_name", "at"])
      .execute();
  },
};
