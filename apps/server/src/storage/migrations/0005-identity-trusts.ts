import { type Kysely, type Migration, PostgresAdapter, sql } from "kysely";

/**
 * Identity trusts: which workloads of an OpenID Connect issuer may exchange their identity
 * tokens for short-lived API tokens of a tenant (see `service/identity-exchange.ts`).
 *
 * A trust's further claims are a JSON list of `{name, value}` and its environments a JSON list
 * of names (null: every environment), as tokens keep theirs. Audit events say which trust an
 * event is about (`trust_id`) and the identity token's subject (`subject`, never the token);
 * tokens issued by an exchange name their trust (`trust_id`), so that the sweep can delete them
 * once long expired. Existing rows get nulls: they were about no trust.
 */
export const identityTrusts: Migration = {
  async up(db: Kysely<unknown>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    // PostgreSQL runs each migration in a transaction; SQLite's DDL is not, so open one.
    if (postgres) await up(db);
    else await db.transaction().execute((trx) => up(trx));
  },
};

async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("identity_trusts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull().references("tenants.id"))
    .addColumn("issuer", "text", (c) => c.notNull())
    .addColumn("audience", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("claims", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("environments", "text")
    .addColumn("ttl_seconds", "integer", (c) => c.notNull())
    .addColumn("created", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .execute();
  // An exchange looks trusts up by issuer, in one tenant or in all.
  await db.schema
    .createIndex("identity_trusts_issuer")
    .on("identity_trusts")
    .columns(["issuer", "tenant_id"])
    .execute();
  await db.schema
    .createIndex("identity_trusts_tenant")
    .on("identity_trusts")
    .columns(["tenant_id", "created"])
    .execute();
  // SQLite adds one column per ALTER TABLE.
  await db.schema.alterTable("audit_events").addColumn("trust_id", "text").execute();
  await db.schema.alterTable("audit_events").addColumn("subject", "text").execute();
  await db.schema.alterTable("api_tokens").addColumn("trust_id", "text").execute();
  // The sweep finds issued tokens long expired without reading the others.
  await sql`create index api_tokens_issued on api_tokens (expires_at)
    where trust_id is not null`.execute(db);
}
