// Figures: each a ratio against a baseline measured in the same run, as min/median/max over
// several runs, with its target; a server figure also carries the server's CPU per request and its
// ratio to the baseline's. `figure()` prints one and, under `pnpm bench` (bench/run.mjs sets
// HUSH_BENCH_RESULTS), appends it to the run's results for bench/RESULTS.md; `reference()` does
// the same for a baseline's own absolute figures.
import { appendFileSync } from "node:fs";
import { formatMicros } from "./cpu.mjs";
import { spread } from "./harness.mjs";

/** How many times each figure is measured (HUSH_BENCH_ROUNDS, default 3). */
export const RUNS = Number(process.env.HUSH_BENCH_ROUNDS ?? 3);
if (!(Number.isInteger(RUNS) && RUNS >= 1 && RUNS <= 20)) {
  console.error("HUSH_BENCH_ROUNDS must be a whole number from 1 to 20.");
  process.exit(1);
}

/** How long each measured window lasts, in seconds (HUSH_BENCH_SECONDS, default 3). */
export const SECONDS = Number(process.env.HUSH_BENCH_SECONDS ?? 3);

const format = (n) => (n >= 10 ? n.toFixed(1) : n.toFixed(2));

/** What a target makes of a median: `{ met, goal, verdict }`, met undefined for a reported figure. */
function judge(median, target) {
  if (target === undefined) return { met: undefined, goal: "report", verdict: "" };
  const met = target.atLeast !== undefined ? median >= target.atLeast : median <= target.atMost;
  const goal = target.atLeast !== undefined ? `≥ ${target.atLeast}` : `≤ ${target.atMost}`;
  return { met, goal, verdict: met ? "met" : "NOT met" };
}

function record(row) {
  const file = process.env.HUSH_BENCH_RESULTS;
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
}

/** A server's absolute figures over the runs: requests/s and CPU µs per request, min/median/max. */
function serverFigures(runs) {
  return { rps: spread(runs.map((r) => r.rps)), us: spread(runs.map((r) => r.cpu)) };
}

const range = ({ min, median, max }, show) => `${show(median)} (${show(min)}–${show(max)})`;

/**
 * Records one figure. `ratios`: one per run. `target`: `{ atLeast }` or `{ atMost }`, judged on the
 * median, or undefined for a figure that is only reported. `note`: what the ratio compares, with
 * the absolute figures behind it. `cpu`, for a server figure: `{ runs, ratios, target }`, each
 * run's `{ rps, cpu }` (CPU µs per request), each run's CPU per request over the baseline's, and
 * the target on that ratio's median.
 */
export function figure({ id, title, ratios, target, note = "", cpu }) {
  const { min, median, max, runs } = spread(ratios);
  const { met, goal, verdict } = judge(median, target);
  console.log(
    `  [${id}] ${title}: median ${format(median)} (min ${format(min)}, max ${format(max)}, ${runs} runs); target ${goal} ${verdict}`,
  );
  if (note) console.log(`      ${note}`);
  const row = { id, title, min, median, max, runs, goal, verdict, note };
  if (cpu) {
    const ratio = spread(cpu.ratios);
    const judged = judge(ratio.median, cpu.target);
    row.cpu = { ...serverFigures(cpu.runs), ratio, goal: judged.goal, verdict: judged.verdict };
    console.log(
      `      server CPU: ${range(row.cpu.us, formatMicros)} µs/request, ${range(ratio, format)}× the baseline's; target ${judged.goal} ${judged.verdict}`,
    );
  }
  record(row);
  return met;
}

/** Records a baseline's own figures (`runs`: each run's `{ rps, cpu }`), for the CPU table. */
export function reference({ id, title, runs }) {
  const cpu = serverFigures(runs);
  console.log(
    `  [${id}] ${title}: ${range(cpu.rps, Math.round)} req/s, server CPU ${range(cpu.us, formatMicros)} µs/request`,
  );
  record({ id, title, reference: true, cpu });
}
