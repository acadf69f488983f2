// Figures: each a ratio against a baseline measured in the same run, as min/median/max over
// several runs, with its target. `figure()` prints one and, under `pnpm bench` (bench/run.mjs sets
// HUSH_BENCH_RESULTS), appends it to the run's results for bench/RESULTS.md.
import { appendFileSync } from "node:fs";
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

/**
 * Records one figure. `ratios`: one per run. `target`: `{ atLeast }` or `{ atMost }`, judged on the
 * median, or undefined for a figure that is only reported. `note`: what the ratio compares, with
 * the absolute figures behind it.
 */
export function figure({ id, title, ratios, target, note = "" }) {
  const { min, median, max, runs } = spread(ratios);
  const met =
    target === undefined
      ? undefined
      : target.atLeast !== undefined
        ? median >= target.atLeast
        : median <= target.atMost;
  const goal =
    target === undefined
      ? "report"
      : target.atLeast !== undefined
        ? `≥ ${target.atLeast}`
        : `≤ ${target.atMost}`;
  const verdict = met === undefined ? "" : met ? "met" : "NOT met";
  console.log(
    `  [${id}] ${title}: median ${format(median)} (min ${format(min)}, max ${format(max)}, ${runs} runs); target ${goal} ${verdict}`,
  );
  if (note) console.log(`      ${note}`);
  const file = process.env.HUSH_BENCH_RESULTS;
  if (file) {
    const row = { id, title, min, median, max, runs, goal, verdict, note };
    appendFileSync(file, `${JSON.stringify(row)}\n`);
  }
  return met;
}
