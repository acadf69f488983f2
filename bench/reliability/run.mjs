// `pnpm test:reliability [--short]`: crash durability (SQLite, and PostgreSQL when
// HUSH_TEST_POSTGRES_URL is set), hostile input, a soak and config fuzzing, against the built
// hush-server (the root script builds it first). Prints each suite's figures; exits 1 if any
// suite fails. `--short` is the version CI runs: fewer rounds, requests and seconds.
// HUSH_RELIABILITY_SEED replays the hostile requests of an earlier run.
import { parseArgs } from "node:util";
import { createRun, postgresDatabase } from "../support/harness.mjs";
import { configFuzz } from "./config-fuzz.mjs";
import { crash } from "./crash.mjs";
import { hostile } from "./hostile.mjs";
import { soak } from "./soak.mjs";

const { values: args } = parseArgs({
  options: { short: { type: "boolean", default: false }, only: { type: "string" } },
});
const short = args.short;
const seed = Number(process.env.HUSH_RELIABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31));
const postgresUrl = process.env.HUSH_TEST_POSTGRES_URL;

const suites = [
  ["config fuzzing", () => configFuzz({ runs: short ? 1000 : 10_000 })],
  [
    "hostile input",
    (run) => hostile(run, { batches: short ? 5 : 10, perBatch: short ? 400 : 1100, seed }),
  ],
  ["crash durability, SQLite", (run) => crash(run, { rounds: short ? 3 : 20, label: "sqlite" })],
  ...(postgresUrl
    ? [
        [
          "crash durability, PostgreSQL",
          async (run) =>
            crash(run, {
              rounds: short ? 3 : 20,
              label: "postgres",
              databaseUrl: await postgresDatabase(run, postgresUrl),
            }),
        ],
      ]
    : []),
  ["soak", (run) => soak(run, { seconds: short ? 10 : 60 })],
].filter(([name]) => !args.only || name.includes(args.only));

if (!postgresUrl) {
  console.log("HUSH_TEST_POSTGRES_URL is not set: crash durability runs on SQLite only.");
}
let failed = 0;
for (const [name, body] of suites) {
  const started = performance.now();
  const run = createRun("hush-reliability");
  try {
    const summary = await body(run);
    console.log(
      `ok    ${name} (${((performance.now() - started) / 1000).toFixed(0)} s)\n    ${summary}`,
    );
  } catch (error) {
    failed++;
    console.log(
      `FAIL  ${name} (${((performance.now() - started) / 1000).toFixed(0)} s)\n  ${error.stack ?? error}`,
    );
  } finally {
    await run.cleanUp();
  }
}
console.log(
  failed === 0
    ? "\nreliability: every suite passed"
    : `\nreliability: ${failed} of ${suites.length} suites failed`,
);
process.exit(failed === 0 ? 0 : 1);
