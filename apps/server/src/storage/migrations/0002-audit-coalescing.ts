import { type Kysely, type Migration, sql } from "kysely";

/**
 * Audit events that stand for several attempts, and what eviction by count needs (see
 * `service/audit/policy.ts`): how many attempts an event counts and when the last was; the names
 * of a call over several secrets; whether the event counts a token's suppressed refusals; whether
 * it is a refusal or miss; the key repeats are counted under; and indexes to count and trim each
 * token's events. Existing events count once, as the refusals or successes they are.
 */
export const auditCoalescing: Migration = {
  async up(db: Kysely<unknown>) {
    const columns = [
      db.schema
        .alterTable("audit_events")
        .addColumn("count", "integer", (c) => c.notNull().defaultTo(1)),
      db.schema.alterTable("audit_events").addColumn("last_at", "text"),
      db.schema.alterTable("audit_events").addColumn("secret_names", "text"),
      db.schema.alterTable("audit_events").addColumn("secret_name_count", "integer"),
      db.schema
        .alterTable("audit_events")
        .addColumn("suppressed", "integer", (c) => c.notNull().defaultTo(0)),
      db.schema
        .alterTable("audit_events")
        .addColumn("refusal", "integer", (c) => c.notNull().defaultTo(0)),
      db.schema.alterTable("audit_events").addColumn("coalesce_key", "text"),
    ];
    // SQLite adds one column per ALTER TABLE.
    for (const column of columns) await column.execute();
    await sql`update audit_events set refusal = 1 where outcome <> 'SUCCESS'`.execute(db);
    await db.schema
      .createIndex("audit_events_coalesce_key")
      .unique()
      .on("audit_events")
      .column("coalesce_key")
      .execute();
    await db.schema
      .createIndex("audit_events_tenant_actor")
      .on("audit_events")
      .columns(["tenant_id", "actor_token_id", "refusal", "at"])
      .execute();
    // Whether an actor has a newer event about the same secret version: one seek per event.
    await db.schema
      .createIndex("audit_events_actor_secret")
      .on("audit_events")
      .columns(["tenant_id", "actor_token_id", "secret_name", "version", "at"])
      .execute();
  },
};
