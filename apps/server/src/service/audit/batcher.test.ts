import type { CompiledQuery } from "kysely";
import { describe, expect, it } from "vitest";
import type { Writer } from "../../storage/writer.js";
import { AuditBatcher } from "./batcher.js";
import type { AuditEntry, AuditInserts } from "./event-rows.js";

const entry = (secretName: string): AuditEntry => ({
  tenantId: "t",
  action: "READ_SECRET_VALUE",
  outcome: "SUCCESS",
  actor: "runner",
  actorTokenId: "id",
  secretName,
});

/** Stand-ins for the INSERTs: each "statement" lists the secret names of its rows. */
const inserts = {
  compile: (_at: Date, entries: readonly AuditEntry[]) => [
    { rows: entries.map((e) => e.secretName) },
  ],
} as unknown as AuditInserts;

/** A writer whose statements commit when the test says so; it records the rows of each call. */
function manualWriter() {
  const calls: { rows: string[]; finish(error?: Error): void }[] = [];
  const writer: Writer = {
    ready: async () => {},
    run: () => Promise.reject(new Error("not used")),
    drain: () => Promise.resolve(),
    runStatements(statements: () => readonly CompiledQuery[]) {
      const rows = statements().flatMap((s) => (s as unknown as { rows: string[] }).rows);
      return new Promise<void>((resolve, reject) => {
        calls.push({ rows, finish: (error) => (error ? reject(error) : resolve()) });
      });
    },
  };
  return { writer, calls };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("AuditBatcher", () => {
  it("sends the events of one turn of the event loop as one INSERT, answered once committed", async () => {
    const { writer, calls } = manualWriter();
    const batcher = new AuditBatcher(writer, inserts, () => new Date());
    const settled: string[] = [];
    const write = (name: string) =>
      batcher.write([entry(name)]).then(() => {
        settled.push(name);
      });

    const first = ["A", "B"].map(write);
    await nextTurn();
    expect(calls.map((c) => c.rows)).toEqual([["A", "B"]]);
    // While that INSERT commits, the events of later turns gather into the next one.
    const second = [write("C")];
    await nextTurn();
    second.push(write("D"));
    await nextTurn();
    expect(calls.map((c) => c.rows)).toEqual([["A", "B"]]);
    expect(settled).toEqual([]);

    calls[0]!.finish();
    await Promise.all(first);
    expect(settled).toEqual(["A", "B"]);
    await nextTurn();
    expect(calls.map((c) => c.rows)).toEqual([
      ["A", "B"],
      ["C", "D"],
    ]);
    calls[1]!.finish();
    await Promise.all(second);
    expect(settled).toEqual(["A", "B", "C", "D"]);
  });

  it("fails every caller of a failed INSERT, and only them", async () => {
    const { writer, calls } = manualWriter();
    const batcher = new AuditBatcher(writer, inserts, () => new Date());
    const failing = Promise.allSettled([batcher.write([entry("A")]), batcher.write([entry("B")])]);
    await nextTurn();
    const next = batcher.write([entry("C")]);
    await nextTurn();
    calls[0]!.finish(new Error("disk full"));
    // The next group goes once the failed one has settled.
    for (let turn = 0; turn < 3 && calls.length < 2; turn++) await nextTurn();
    calls[1]!.finish();
    for (const write of await failing) {
      expect(write).toMatchObject({ status: "rejected", reason: { message: "disk full" } });
    }
    await expect(next).resolves.toBeUndefined();
  });
});
