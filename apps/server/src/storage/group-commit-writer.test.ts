import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { CompiledQuery, Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GroupCommitWriter } from "./group-commit-writer.js";
import type { Database } from "./schema.js";

describe("GroupCommitWriter", () => {
  let dir: string;
  let db: Kysely<Database>;
  let commits: number;
  let writer: GroupCommitWriter;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "hush-writer-"));
    commits = 0;
    db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: new SqliteDatabase(join(dir, "w.db")) }),
      log: (event) => {
        if (event.query.sql === "commit") commits += 1;
      },
    });
    await sql`create table t (id integer primary key, v text not null)`.execute(db);
    writer = new GroupCommitWriter(db);
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (id: number) => (conn: Kysely<Database>) =>
    sql`insert into t (id, v) values (${id}, ${`v${id}`})`.execute(conn).then(() => id);
  const rawInsert = (id: number) =>
    CompiledQuery.raw("insert into t (id, v) values (?, ?)", [id, `v${id}`]);
  const ids = async () =>
    (await sql<{ id: number }>`select id from t order by id`.execute(db)).rows.map((r) => r.id);

  it("commits a lone write at once and concurrent writes in few transactions", async () => {
    expect(await writer.run(insert(0))).toBe(0);
    expect(commits).toBe(1);
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => writer.run(insert(i + 1))),
    );
    expect(results).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // The first job starts a transaction alone; the other 99 arrive meanwhile and share one.
    expect(commits).toBeLessThanOrEqual(3);
    expect(await ids()).toHaveLength(101);
  });

  it("acknowledges a write only once another connection can read it", async () => {
    const reader = new SqliteDatabase(join(dir, "w.db"), { readonly: true });
    try {
      await writer.run(insert(7));
      expect(reader.prepare("select v from t where id = 7").get()).toEqual({ v: "v7" });
    } finally {
      reader.close();
    }
  });

  it("fails a bad job alone: its batch is rolled back and rerun one job at a time", async () => {
    const boom = new Error("job 5 failed");
    const jobs = Array.from({ length: 10 }, (_, i) =>
      writer.run(async (conn) => {
        await insert(i)(conn);
        if (i === 5) throw boom;
        return i;
      }),
    );
    const settled = await Promise.allSettled(jobs);
    expect(settled[5]).toEqual({ status: "rejected", reason: boom });
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(9);
    expect(await ids()).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9]);
  });

  it("interleaves jobs with different keys in one batch; same-key and unkeyed ones in order", async () => {
    const order: string[] = [];
    const twoSteps = (label: string, id: number) => async (conn: Kysely<Database>) => {
      order.push(`${label}1`);
      await insert(id)(conn);
      order.push(`${label}2`);
      await insert(id + 1)(conn);
      return label;
    };
    const first = writer.run(insert(0)); // commits alone; the rest gather into one batch
    const jobs = [
      writer.run(twoSteps("a", 10), "x"),
      writer.run(twoSteps("b", 20), "y"),
      writer.run(twoSteps("c", 30), "x"),
      writer.run(twoSteps("u", 40)),
    ];
    await first;
    expect(await Promise.all(jobs)).toEqual(["a", "b", "c", "u"]);
    expect(order).toEqual(["a1", "b1", "a2", "b2", "c1", "c2", "u1", "u2"]);
    expect(commits).toBe(2);
  });

  it("fails a bad keyed job alone, after every job of its batch settled", async () => {
    const boom = new Error("job 5 failed");
    const jobs = Array.from({ length: 10 }, (_, i) =>
      writer.run(async (conn) => {
        await insert(i)(conn);
        if (i === 5) throw boom;
        await insert(i + 100)(conn);
        return i;
      }, `k${i}`),
    );
    const settled = await Promise.allSettled(jobs);
    expect(settled[5]).toEqual({ status: "rejected", reason: boom });
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(9);
    expect(await ids()).toEqual(
      [0, 1, 2, 3, 4, 6, 7, 8, 9].flatMap((i) => [i, i + 100]).sort((a, b) => a - b),
    );
  });

  it("runs lone statements between transactions, each committing on its own", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const job = writer.run(async (conn) => {
      await insert(1)(conn);
      await held;
    });
    let built = false;
    const statements = writer.runStatements(() => {
      built = true;
      return [rawInsert(2)];
    });
    await new Promise((resolve) => setImmediate(resolve));
    // The job's transaction holds the connection: the statement waits, unbuilt.
    expect(built).toBe(false);
    release();
    await Promise.all([job, statements]);
    expect(await ids()).toEqual([1, 2]);
    expect(commits).toBe(1); // the job's; the INSERT committed by itself
  });

  it("commits concurrent plans together; a lost guard writes nothing, a failing plan fails alone", async () => {
    await writer.run(insert(1));
    commits = 0;
    // Guarded by row 1's value: the first plan moves it on, so the second, made from the same
    // value, finds it gone.
    const advance = (from: string, to: string) =>
      CompiledQuery.raw("update t set v = ? where id = 1 and v = ?", [to, from]);
    const settled = await Promise.allSettled([
      writer.runPlan({ guard: advance("v1", "a"), writes: [rawInsert(2)] }),
      writer.runPlan({ guard: advance("v1", "b"), writes: [rawInsert(3)] }),
      writer.runPlan({ guard: advance("a", "c"), writes: [rawInsert(4)] }),
      writer.runPlan({ guard: advance("c", "d"), writes: [rawInsert(2)] }), // 2 exists: fails
      writer.runPlan({ guard: advance("c", "e"), writes: [rawInsert(5)] }),
    ]);
    expect(settled).toMatchObject([
      { status: "fulfilled", value: true },
      { status: "fulfilled", value: false },
      { status: "fulfilled", value: true },
      { status: "rejected", reason: { code: "SQLITE_CONSTRAINT_PRIMARYKEY" } },
      { status: "fulfilled", value: true },
    ]);
    expect(await ids()).toEqual([1, 2, 4, 5]);
    const [row] = (await sql<{ v: string }>`select v from t where id = 1`.execute(db)).rows;
    expect(row?.v).toBe("e");
  });

  it("drains: resolves once every accepted job finished", async () => {
    let done = 0;
    for (let i = 0; i < 20; i++) void writer.run(insert(i)).then(() => done++);
    void writer.runStatements(() => [rawInsert(100)]).then(() => done++);
    await writer.drain();
    expect(await ids()).toHaveLength(21);
    await Promise.resolve();
    expect(done).toBe(21);
  });
});
