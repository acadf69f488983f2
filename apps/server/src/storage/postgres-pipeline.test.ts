import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PostgresPipeline } from "./postgres-pipeline.js";

const URL = process.env.HUSH_TEST_POSTGRES_URL || undefined;

describe.runIf(URL !== undefined)("PostgresPipeline", () => {
  let pipeline: PostgresPipeline;
  let errors: Error[];

  beforeEach(() => {
    errors = [];
    pipeline = new PostgresPipeline({
      connectionString: URL!,
      setup: "set synchronous_commit = off",
      onError: (error) => errors.push(error),
    });
  });
  afterEach(async () => {
    await pipeline.close();
  });

  it("answers statements sent together each with its own rows, a failure alone", async () => {
    const results = await Promise.allSettled([
      pipeline.query({ text: "select $1::int as n", values: [1] }),
      pipeline.query({ text: "select 1 / $1::int as n", values: [0] }),
      pipeline.query({ name: "pipeline_test_n", text: "select $1::int as n", values: [3] }),
      pipeline.query({ name: "pipeline_test_n", text: "select $1::int as n", values: [4] }),
    ]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : "failed"))).toEqual([
      [{ n: 1 }],
      "failed",
      [{ n: 3 }],
      [{ n: 4 }],
    ]);
  });

  it("runs the setup statement before any other", async () => {
    expect(await pipeline.query({ text: "show synchronous_commit" })).toEqual([
      { synchronous_commit: "off" },
    ]);
  });

  it("commits a transaction's statements together, or none of them", async () => {
    await pipeline.query({ text: "create temp table t (x int not null)" });
    const insert = (x: number | null) => ({ text: "insert into t values ($1)", values: [x] });
    await expect(pipeline.transaction([insert(1), insert(null), insert(3)])).rejects.toThrow(
      /null value/,
    );
    // Sent alongside: not part of the failed transaction.
    const [, count] = await Promise.all([
      pipeline.transaction([insert(1), insert(2)]),
      pipeline.query<{ n: number }>({ text: "select count(*)::int as n from t" }),
    ]);
    expect(count).toEqual([{ n: 2 }]);
  });

  it("opens a new connection after losing one", async () => {
    const pidOf = async () =>
      (await pipeline.query<{ pid: number }>({ text: "select pg_backend_pid() as pid" }))[0]!.pid;
    const first = await pidOf();
    const admin = new pg.Client({ connectionString: URL });
    await admin.connect();
    try {
      await admin.query("select pg_terminate_backend($1)", [first]);
    } finally {
      await admin.end();
    }
    let next: number | undefined;
    for (let i = 0; i < 100 && next === undefined; i++) {
      next = await pidOf().catch(() => undefined);
      if (next === first) next = undefined;
      if (next === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(next).toBeTypeOf("number");
    expect(errors.length).toBeGreaterThan(0);
    expect(await pipeline.query({ text: "show synchronous_commit" })).toEqual([
      { synchronous_commit: "off" },
    ]);
  });

  it("refuses statements once closed", async () => {
    await pipeline.query({ text: "select 1" });
    await pipeline.close();
    await expect(pipeline.query({ text: "select 1" })).rejects.toThrow(/closed/);
  });
});
