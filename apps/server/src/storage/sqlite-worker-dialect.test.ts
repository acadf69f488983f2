import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { CompiledQuery, Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GroupCommitWriter } from "./group-commit-writer.js";
import type { Database } from "./schema.js";
import { SqliteWorkerDialect, SqliteWorkerError } from "./sqlite-worker-dialect.js";

interface Tables {
  t: { id: number; v: string; b: Buffer | null };
}

describe("SqliteWorkerDialect", () => {
  let dir: string;
  let file: string;
  let dialect: SqliteWorkerDialect;
  let db: Kysely<Tables>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "hush-worker-"));
    file = join(dir, "w.db");
    dialect = new SqliteWorkerDialect({
      file,
      pragmas: ["journal_mode = WAL", "synchronous = FULL", "busy_timeout = 5000"],
    });
    db = new Kysely<Tables>({ dialect });
    await sql`create table t (id integer primary key, v text not null, b blob)`.execute(db);
  });
  afterEach(async () => {
    await db.destroy();
    await dialect.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (id: number) =>
    CompiledQuery.raw("insert into t (id, v) values (?, ?)", [id, `v${id}`]);
  const ids = async () =>
    (await db.selectFrom("t").select("id").orderBy("id").execute()).map((r) => r.id);

  it("runs queries in the worker, blobs as Buffers, results as better-sqlite3 gives them", async () => {
    const inserted = await db
      .insertInto("t")
      .values({ id: 7, v: "seven", b: Buffer.from([1, 2, 3]) })
      .executeTakeFirstOrThrow();
    expect(inserted.numInsertedOrUpdatedRows).toBe(1n);
    expect(inserted.insertId).toBe(7n);
    const row = await db.selectFrom("t").selectAll().executeTakeFirstOrThrow();
    expect(row).toEqual({ id: 7, v: "seven", b: Buffer.from([1, 2, 3]) });
    expect(Buffer.isBuffer(row.b)).toBe(true);
    const pragma = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
    expect(pragma.rows).toEqual([{ synchronous: 2 }]); // FULL
  });

  it("commits groups, and the statements after them wait for the disk again (FULL)", async () => {
    await Promise.all([dialect.commitGroup([insert(1)]), dialect.commitGroup([insert(2)])]);
    await db.insertInto("t").values({ id: 3, v: "v3", b: null }).execute();
    expect(await ids()).toEqual([1, 2, 3]);
    const pragma = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
    expect(pragma.rows).toEqual([{ synchronous: 2 }]); // FULL
  });

  it("rejects with SQLite's error code and keeps working", async () => {
    await db.insertInto("t").values({ id: 1, v: "a", b: null }).execute();
    const error = await db
      .insertInto("t")
      .values({ id: 1, v: "b", b: null })
      .execute()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SqliteWorkerError);
    expect(error).toMatchObject({ code: "SQLITE_CONSTRAINT_PRIMARYKEY" });
    await expect(sql`select nope from t`.execute(db)).rejects.toThrow(/no such column/);
    expect(await db.selectFrom("t").select("v").execute()).toEqual([{ v: "a" }]);
  });

  it("commits group writes that another connection then sees", async () => {
    const writer = new GroupCommitWriter(db as unknown as Kysely<Database>);
    const jobs = Array.from({ length: 50 }, (_, id) =>
      writer.run((conn) => sql`insert into t (id, v) values (${id}, ${`v${id}`})`.execute(conn)),
    );
    await Promise.all(jobs);
    const reader = new SqliteDatabase(file, { readonly: true });
    try {
      expect(reader.prepare("select count(*) as n from t").get()).toEqual({ n: 50 });
    } finally {
      reader.close();
    }
  });

  it("rolls a transaction back", async () => {
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("t").values({ id: 1, v: "a", b: null }).execute();
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    expect(await db.selectFrom("t").selectAll().execute()).toEqual([]);
  });

  it("commits groups, each acknowledged once another connection can read it", async () => {
    const groups = Array.from({ length: 20 }, (_, i) =>
      dialect.commitGroup([insert(2 * i), insert(2 * i + 1)]),
    );
    await Promise.all(groups);
    const reader = new SqliteDatabase(file, { readonly: true });
    try {
      expect(reader.prepare("select count(*) as n from t").get()).toEqual({ n: 40 });
    } finally {
      reader.close();
    }
  });

  it("fails a group alone: the others committed with it stay committed", async () => {
    await dialect.commitGroup([insert(5)]);
    const settled = await Promise.allSettled([
      dialect.commitGroup([insert(1), insert(2)]),
      dialect.commitGroup([insert(3), insert(5)]), // 5 exists: the whole group fails
      dialect.commitGroup([insert(4)]),
    ]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(settled[1]).toMatchObject({ reason: { code: "SQLITE_CONSTRAINT_PRIMARYKEY" } });
    expect(await ids()).toEqual([1, 2, 4, 5]);
  });

  it("keeps groups out of a transaction that is open: they commit after it, not with it", async () => {
    let grouped: Promise<void> | undefined;
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("t").values({ id: 1, v: "in the transaction", b: null }).execute();
        grouped = dialect.commitGroup([insert(2)]);
        await trx.insertInto("t").values({ id: 3, v: "in the transaction", b: null }).execute();
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await grouped;
    expect(await ids()).toEqual([2]);
  });

  it("runs write plans in one message: a lost guard writes nothing, a failing plan fails alone", async () => {
    await db
      .insertInto("t")
      .values([
        { id: 1, v: "a", b: null },
        { id: 2, v: "a", b: null },
      ])
      .execute();
    const writer = new GroupCommitWriter(db as unknown as Kysely<Database>);
    const advance = (id: number, from: string, to: string) =>
      CompiledQuery.raw("update t set v = ? where id = ? and v = ?", [to, id, from]);
    // A small Buffer is a slice of Node's shared pool: it must arrive as its own bytes.
    const withBytes = CompiledQuery.raw("insert into t (id, v, b) values (?, ?, ?)", [
      10,
      "ten",
      Buffer.from([1, 2, 3]),
    ]);
    const settled = await Promise.allSettled([
      writer.runPlan({ guard: advance(1, "a", "b"), writes: [withBytes] }),
      writer.runPlan({ guard: advance(2, "x", "y"), writes: [insert(11)] }), // 2 is at "a": lost
      writer.runPlan({ guard: advance(2, "a", "c"), writes: [insert(10)] }), // 10 exists: fails
    ]);
    expect(settled).toMatchObject([
      { status: "fulfilled", value: true },
      { status: "fulfilled", value: false },
      { status: "rejected", reason: { code: "SQLITE_CONSTRAINT_PRIMARYKEY" } },
    ]);
    const rows = await db.selectFrom("t").selectAll().orderBy("id").execute();
    expect(rows).toEqual([
      { id: 1, v: "b", b: null },
      { id: 2, v: "a", b: null },
      { id: 10, v: "ten", b: Buffer.from([1, 2, 3]) },
    ]);
  });

  it("fails to open a file it cannot create, with SQLite's message", async () => {
    const bad = new Kysely<Tables>({
      dialect: new SqliteWorkerDialect({ file: join(dir, "missing", "x.db"), pragmas: [] }),
    });
    await expect(sql`select 1`.execute(bad)).rejects.toThrow(
      /unable to open|directory does not exist/,
    );
    await bad.destroy();
  });
});
