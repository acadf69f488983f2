import SqliteDatabase from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrateToLatest } from "../../storage/migrate.js";
import type { Database } from "../../storage/schema.js";
import { type AuditEntry, AuditInserts, insertAuditEvents } from "./event-rows.js";

const entry = (i: number): AuditEntry => ({
  tenantId: "tenant",
  action: "READ_SECRET_VALUE",
  outcome: i % 2 === 0 ? "SUCCESS" : "NOT_FOUND",
  actor: "runner",
  actorTokenId: "token-id",
  secretName: `S${i}`,
  version: i % 2 === 0 ? i : null,
});

describe("audit inserts", () => {
  let db: Kysely<Database>;
  const at = new Date("2030-01-02T03:04:05.678Z");
  const stored = () =>
    db
      .selectFrom("audit_events")
      .select([
        "tenant_id",
        "action",
        "secret_name",
        "version",
        "outcome",
        "actor",
        "target",
        "at",
        "count",
        "refusal",
      ])
      .orderBy("id")
      .execute();

  beforeEach(async () => {
    db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: new SqliteDatabase(":memory:") }),
    });
    await migrateToLatest(db);
    await db.insertInto("tenants").values({ id: "tenant", name: "acme", created: "" }).execute();
  });
  afterEach(async () => {
    await db.destroy();
  });

  it("stores the same rows as the in-transaction insert, in groups of any size, counting repeats", async () => {
    const inserts = new AuditInserts(db);
    const entries = Array.from({ length: 450 }, (_, i) => entry(i));
    const statements = inserts.compile(at, entries);
    expect(statements).toHaveLength(3); // 200 rows at most per statement
    for (const statement of statements) await db.executeQuery(statement);
    for (const size of [1, 3, 1]) {
      for (const statement of inserts.compile(at, entries.slice(0, size))) {
        await db.executeQuery(statement);
      }
    }
    const grouped = await stored();

    await db.deleteFrom("audit_events").execute();
    await insertAuditEvents(db, at, entries);
    for (const size of [1, 3, 1]) await insertAuditEvents(db, at, entries.slice(0, size));
    expect(grouped).toEqual(await stored());
    // The same read at the same time again is counted on its first event.
    expect(grouped).toHaveLength(450);
    expect(grouped.slice(0, 4).map((row) => row.count)).toEqual([4, 2, 2, 1]);
    expect(grouped[1]).toEqual({
      tenant_id: "tenant",
      action: "READ_SECRET_VALUE",
      secret_name: "S1",
      version: null,
      outcome: "NOT_FOUND",
      actor: "runner",
      target: null,
      at: "2030-01-02T03:04:05.678Z",
      count: 2,
      refusal: 1,
    });
  });

  it("counts repeats within one group on one row, and stores writes each time", async () => {
    const inserts = new AuditInserts(db);
    const write: AuditEntry = { ...entry(0), action: "SET_SECRET" };
    const statements = inserts.compile(at, [entry(0), entry(0), entry(1), write, write]);
    for (const statement of statements) await db.executeQuery(statement);
    expect((await stored()).map((row) => [row.action, row.secret_name, row.count])).toEqual([
      ["READ_SECRET_VALUE", "S0", 2],
      ["READ_SECRET_VALUE", "S1", 1],
      ["SET_SECRET", "S0", 1],
      ["SET_SECRET", "S0", 1],
    ]);
    // A minute later, the same read is a new event.
    const later = new Date(at.getTime() + 60_000);
    for (const statement of inserts.compile(later, [entry(0)])) await db.executeQuery(statement);
    expect(await stored()).toHaveLength(5);
  });
});
