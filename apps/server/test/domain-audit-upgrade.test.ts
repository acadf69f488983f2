import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { afterEach, expect, it } from "vitest";
import { initial } from "../src/storage/migrations/0001-initial.js";
import { describeBackends, type OpenedBackend } from "./support/backends.js";

// A data folder (or database) written before audit events could count repeats: only the first
// migration ran, and its events are plain rows.
async function databaseOfTheFirstRelease(opened: OpenedBackend): Promise<Kysely<unknown>> {
  await opened.service.close();
  const db = new Kysely<unknown>({
    dialect:
      opened.databaseUrl === undefined
        ? new SqliteDialect({ database: new SqliteDatabase(join(opened.dataDir, "hush.db")) })
        : new PostgresDialect({ pool: new pg.Pool({ connectionString: opened.databaseUrl }) }),
  });
  for (const table of [
    "identity_trusts",
    "webhook_deliveries",
    "webhooks",
    "change_events",
    "audit_events",
    "secret_versions",
    "secrets",
    "environments",
    "api_tokens",
    "tenants",
    "kysely_migration",
    "kysely_migration_lock",
  ]) {
    await sql`drop table if exists ${sql.table(table)}`.execute(db);
  }
  if (opened.databaseUrl !== undefined) {
    await sql`drop function if exists change_events_seq_at_commit()`.execute(db);
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ "0001-initial": initial }) },
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error;
  return db;
}

describeBackends("audit events written before the upgrade", (backend) => {
  let opened: OpenedBackend | undefined;

  afterEach(async () => {
    await opened?.cleanup();
    opened = undefined;
  });

  it("are migrated as single events, refusals told apart, and evicted by the same rules", async () => {
    opened = await backend.open();
    const db = await databaseOfTheFirstRelease(opened);
    const at = (minute: number) => new Date(Date.UTC(2030, 0, 1, 0, minute)).toISOString();
    await sql`insert into tenants (id, name, created) values ('t1', 'acme', ${at(0)})`.execute(db);
    const row = (i: number, who: string, outcome: string, action: string) =>
      sql`insert into audit_events (id, tenant_id, action, secret_name, version, outcome, actor, actor_token_id, target, at)
          values (${`0000000${i}`.slice(-8)}, 't1', ${action}, ${`S${i}`}, null, ${outcome}, ${who}, ${`id-${who}`}, null, ${at(i)})`;
    for (let i = 0; i < 10; i++) await row(i, "admin", "SUCCESS", "SET_SECRET").execute(db);
    for (let i = 10; i < 30; i++) await row(i, "flood", "DENIED", "READ_SECRET_VALUE").execute(db);
    await db.destroy();

    // First without limits, to see the events as the upgrade left them.
    const upgrading = await opened.reopen({ auditMaxEventsPerTenant: 0, auditMaxAgeDays: 0 });
    const { token } = await upgrading.createTokenOffline({
      tenantName: "acme",
      role: "TENANT_ADMIN",
      name: "operator",
    });
    const operator = (await upgrading.authenticate(token))!;
    const upgraded = await upgrading.auditEvents(operator, { limit: 100, offset: 0 });
    expect(upgraded).toHaveLength(31);
    const old = upgraded.find((e) => e.secretName === "S3")!;
    expect(old).toMatchObject({ count: 1, suppressed: false, secretNames: null });
    expect(old.lastAt).toEqual(old.at);

    await upgrading.close();

    // Refusals may hold a tenth of the 12: the flood's 20 go down to one; the admin keeps all.
    const service = await opened.reopen({ auditMaxEventsPerTenant: 12, auditMaxAgeDays: 0 });
    await service.pruneAuditEvents();
    const kept = (await service.auditEvents(operator, { limit: 100, offset: 0 })).map(
      (e) => e.actor,
    );
    expect(kept.filter((actor) => actor === "admin")).toHaveLength(10);
    expect(kept.filter((actor) => actor === "flood")).toEqual(["flood"]);
    expect(kept).toHaveLength(12);
  });
});
