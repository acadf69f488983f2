import { type Kysely, type Migration, PostgresAdapter, sql } from "kysely";

/** The name of the environment every tenant starts with, and that existing data moves into. */
export const FIRST_ENVIRONMENT = "production";

/**
 * Environments: a tenant holds one or more, one of them its default; a secret is addressed by
 * (environment, name). Each existing tenant gets the environment `production`, its default,
 * whose id is the tenant's id, and every secret, version and secret audit event lands in it.
 *
 * That id is what keeps existing ciphertexts opening unchanged: the additional data of a value
 * names the environment only when its id is not the tenant's (see `crypto/envelope.ts`), so the
 * first environment of a tenant, migrated or new, has the additional data values had before.
 *
 * Audit events keep the id and the name of their environment: a deleted environment's events
 * still say its name, and a new environment of that name (a new id) is not confused with it.
 *
 * Version rows also get the keyed digest of their plaintext (`digest`, and the id of the master
 * key it was derived from, `digest_key_id`) that comparing environments uses; rows written
 * before have none and are digested when first compared.
 */
export const environments: Migration = {
  async up(db: Kysely<unknown>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    // PostgreSQL runs each migration in a transaction; SQLite's DDL is not, so open one.
    if (postgres) await upPostgres(db);
    else await db.transaction().execute((trx) => upSqlite(trx));
  },
};

async function createEnvironments(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("environments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("is_default", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created", "text", (c) => c.notNull())
    .addUniqueConstraint("environments_tenant_name", ["tenant_id", "name"])
    .execute();
  await sql`insert into environments (id, tenant_id, name, is_default, created)
    select id, id, ${FIRST_ENVIRONMENT}, 1, created from tenants`.execute(db);
}

async function auditAndTokens(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("audit_events").addColumn("environment_id", "text").execute();
  // The environment's name as it was, so that events still say it after the environment is
  // deleted (names never change while it exists).
  await db.schema.alterTable("audit_events").addColumn("environment_name", "text").execute();
  // Events about secrets happened in the only environment there was.
  await sql`update audit_events set environment_id = tenant_id,
      environment_name = ${FIRST_ENVIRONMENT}
    where action in ('SET_SECRET', 'DELETE_SECRET', 'ROLLBACK_SECRET', 'READ_SECRET_VALUE')`.execute(
    db,
  );
  await db.schema
    .createIndex("audit_events_tenant_environment")
    .on("audit_events")
    .columns(["tenant_id", "environment_id", "at"])
    .execute();
  // JSON list of environment names; null: every environment.
  await db.schema.alterTable("api_tokens").addColumn("environments", "text").execute();
}

async function upPostgres(db: Kysely<unknown>): Promise<void> {
  await createEnvironments(db);
  await sql`alter table secret_versions drop constraint secret_versions_secret`.execute(db);
  await sql`alter table secret_versions drop constraint secret_versions_pk`.execute(db);
  await sql`alter table secrets drop constraint secrets_pk`.execute(db);
  for (const table of ["secrets", "secret_versions"]) {
    await sql`alter table ${sql.table(table)} add column environment_id text`.execute(db);
    await sql`update ${sql.table(table)} set environment_id = tenant_id`.execute(db);
    await sql`alter table ${sql.table(table)} alter column environment_id set not null`.execute(db);
  }
  await sql`alter table secret_versions add column digest bytea`.execute(db);
  await sql`alter table secret_versions add column digest_key_id text`.execute(db);
  await sql`alter table secrets add constraint secrets_pk
    primary key (tenant_id, environment_id, name)`.execute(db);
  await sql`alter table secrets add constraint secrets_environment
    foreign key (environment_id) references environments (id)`.execute(db);
  await sql`alter table secret_versions add constraint secret_versions_pk
    primary key (tenant_id, environment_id, name, version)`.execute(db);
  await sql`alter table secret_versions add constraint secret_versions_secret
    foreign key (tenant_id, environment_id, name)
    references secrets (tenant_id, environment_id, name)`.execute(db);
  await auditAndTokens(db);
}

// SQLite cannot change a primary key: the two tables are built anew, filled, and swapped in.
async function upSqlite(db: Kysely<unknown>): Promise<void> {
  await createEnvironments(db);
  await db.schema
    .createTable("secrets_next")
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
    .addColumn("environment_id", "text", (c) => c.notNull().references("environments.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("current_version", "integer", (c) => c.notNull())
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("updated", "text", (c) => c.notNull())
    .addColumn("updated_by", "text", (c) => c.notNull())
    .addColumn("deleted", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("secrets_pk", ["tenant_id", "environment_id", "name"])
    .execute();
  await db.schema
    .createTable("secret_versions_next")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("environment_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("deleted", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("key_id", "text")
    .addColumn("wrapped_key", "blob")
    .addColumn("iv", "blob")
    .addColumn("ciphertext", "blob")
    .addColumn("auth_tag", "blob")
    .addColumn("digest", "blob")
    .addColumn("digest_key_id", "text")
    .addPrimaryKeyConstraint("secret_versions_pk", [
      "tenant_id",
      "environment_id",
      "name",
      "version",
    ])
    .addForeignKeyConstraint(
      "secret_versions_secret",
      ["tenant_id", "environment_id", "name"],
      "secrets_next",
      ["tenant_id", "environment_id", "name"],
    )
    .execute();
  await sql`insert into secrets_next (tenant_id, environment_id, name, current_version, created,
      updated, updated_by, deleted)
    select tenant_id, tenant_id, name, current_version, created, updated, updated_by, deleted
    from secrets`.execute(db);
  await sql`insert into secret_versions_next (tenant_id, environment_id, name, version, created,
      created_by, deleted, key_id, wrapped_key, iv, ciphertext, auth_tag)
    select tenant_id, tenant_id, name, version, created, created_by, deleted, key_id,
      wrapped_key, iv, ciphertext, auth_tag
    from secret_versions`.execute(db);
  // The old versions table first: it refers to the old secrets table.
  await db.schema.dropTable("secret_versions").execute();
  await db.schema.dropTable("secrets").execute();
  // Renaming also renames the reference in secret_versions_next's foreign key.
  await db.schema.alterTable("secrets_next").renameTo("secrets").execute();
  await db.schema.alterTable("secret_versions_next").renameTo("secret_versions").execute();
  await db.schema
    .createIndex("secret_versions_key")
    .on("secret_versions")
    .column("key_id")
    .execute();
  await auditAndTokens(db);
}
