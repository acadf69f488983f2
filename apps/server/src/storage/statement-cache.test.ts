import SqliteDatabase from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { withStatementCache } from "./statement-cache.js";

describe("withStatementCache", () => {
  it("reuses prepared statements and keeps at most the given number", () => {
    const sqlite = new SqliteDatabase(":memory:");
    let prepared = 0;
    const counting = {
      close: () => sqlite.close(),
      prepare: (sql: string) => {
        prepared += 1;
        return sqlite.prepare(sql);
      },
    };
    const db = withStatementCache(counting, 2);
    const a = db.prepare("select 1 as a");
    expect(db.prepare("select 1 as a")).toBe(a);
    expect(a.all([])).toEqual([{ a: 1 }]);
    db.prepare("select 2 as b");
    db.prepare("select 1 as a"); // a is now the most recently used
    db.prepare("select 3 as c"); // evicts b
    expect(prepared).toBe(3);
    db.prepare("select 1 as a");
    expect(prepared).toBe(3);
    db.prepare("select 2 as b");
    expect(prepared).toBe(4);
    db.close();
  });
});
