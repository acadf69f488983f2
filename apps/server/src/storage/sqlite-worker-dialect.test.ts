import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, sql } from "kysely";
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
  let db: Kysely<Tables>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "hush-worker-"));
    file = join(dir, "w.db");
    db = new Kysely<Tables>({
      dialect: new SqliteWorkerDialect({
        file,
        pragmas: ["journal_mode = WAL", "synchronous = FULL", "busy_timeout = 5000"],
      }),
    });
    await sql`create table t (id integer primary key, v text not null, b blob)`.execute(db);
  });
  afterEach(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

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
