import SqliteDatabase from "better-sqlite3";
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteDialect,
  sql,
} from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kyselyRunner, prepareQuery } from "./prepared-query.js";

interface Tables {
  t: { tenant: string; name: string; deleted: number };
}

describe("prepareQuery", () => {
  let db: Kysely<Tables>;

  beforeEach(async () => {
    db = new Kysely<Tables>({
      dialect: new SqliteDialect({ database: new SqliteDatabase(":memory:") }),
    });
    await sql`create table t (tenant text, name text, deleted integer)`.execute(db);
    await db
      .insertInto("t")
      .values([
        { tenant: "a", name: "X", deleted: 0 },
        { tenant: "a", name: "Y", deleted: 1 },
        { tenant: "b", name: "X", deleted: 0 },
      ])
      .execute();
  });
  afterEach(async () => {
    await db.destroy();
  });

  it("runs the compiled query with each call's values, keeping the constants", async () => {
    const names = prepareQuery(kyselyRunner(db), ["tenant", "name"], (p) =>
      db
        .selectFrom("t")
        .select(["tenant", "name"])
        .where("deleted", "=", 0)
        .where("tenant", "=", p.tenant)
        .where("name", ">=", p.name),
    );
    expect(await names({ tenant: "a", name: "A" })).toEqual([{ tenant: "a", name: "X" }]);
    expect(await names({ tenant: "b", name: "X" })).toEqual([{ tenant: "b", name: "X" }]);
    expect(await names({ tenant: "b", name: "Z" })).toEqual([]);
  });

  it("places the values by position on PostgreSQL too", async () => {
    const ran: { sql: string; parameters: readonly unknown[] }[] = [];
    const pg = new Kysely<Tables>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (k) => new PostgresIntrospector(k),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
      log: (event) => {
        ran.push(event.query);
      },
    });
    const prepared = prepareQuery(kyselyRunner(pg), ["name", "tenant"], (p) =>
      pg.selectFrom("t").select("name").where("tenant", "=", p.tenant).where("name", "=", p.name),
    );
    await prepared({ tenant: "acme", name: "KEY" });
    expect(ran).toEqual([
      expect.objectContaining({
        sql: 'select "name" from "t" where "tenant" = $1 and "name" = $2',
        parameters: ["acme", "KEY"],
      }),
    ]);
  });

  it("refuses a placeholder that is not a parameter of the query", () => {
    expect(() =>
      prepareQuery(kyselyRunner(db), ["tenant"], () =>
        db.selectFrom("t").select("name").where("deleted", "=", 0),
      ),
    ).toThrow(/placeholder tenant/);
  });
});
