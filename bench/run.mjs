// `pnpm bench`: runs every benchmark in this folder (`*.bench.mjs`, or those whose name contains
// the first argument) one after another, then writes bench/RESULTS.md: the machine, the load
// before the run, every figure against its target, and each benchmark's full output. Each
// benchmark compares hush against a baseline measured in the same run; none asserts on time.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";

const here = import.meta.dirname;
const only = process.argv[2];
const benches = readdirSync(here)
  .filter((file) => file.endsWith(".bench.mjs") && (!only || file.includes(only)))
  .sort();

const scratch = mkdtempSync(join(tmpdir(), "hush-bench-results-"));
const resultsFile = join(scratch, "figures.jsonl");
writeFileSync(resultsFile, "");

function runBench(file) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(here, file)], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, HUSH_BENCH_RESULTS: resultsFile },
    });
    let output = "";
    for (const stream of [child.stdout, child.stderr]) {
      stream.on("data", (chunk) => {
        output += chunk;
        (stream === child.stdout ? process.stdout : process.stderr).write(chunk);
      });
    }
    child.on("exit", (code, signal) => done({ file, output, ok: code === 0, code, signal }));
  });
}

const startedAt = new Date();
const loadBefore = loadavg();
const outputs = [];
for (const file of benches) {
  console.log(`\n# ${file}`);
  outputs.push(await runBench(file));
}
const loadAfter = loadavg();
const figures = readFileSync(resultsFile, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line));
rmSync(scratch, { recursive: true, force: true });

const format = (n) => (n >= 10 ? n.toFixed(1) : n.toFixed(2));
const range = ({ min, median, max }, show) => `${show(median)} (${show(min)}–${show(max)})`;
const ratioFigures = figures.filter((f) => !f.reference);
const cpuFigures = figures.filter((f) => f.cpu);
const minutes = ((Date.now() - startedAt.getTime()) / 60_000).toFixed(1);
const lines = [
  "# Benchmark results",
  "",
  `The latest \`pnpm bench\` (${benches.length === readdirSync(here).filter((f) => f.endsWith(".bench.mjs")).length ? "every benchmark" : `benchmarks matching "${only}"`}),`,
  `${startedAt.toISOString()}, ${minutes} min. Each figure is a ratio against a baseline measured`,
  "in the same run, given as the median of several runs with their min and max; the target is",
  "judged on the median. The notes under the table give the absolute figures; where a target is",
  "missed, [README.md](README.md#where-the-targets-stand) says, with the profile, what stands in",
  "the way.",
  "",
  `- Machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? "unknown CPU"}), Node ${process.version}, ${process.platform} ${process.arch}`,
  `- Load average (1, 5, 15 min): ${loadBefore.map((n) => n.toFixed(1)).join(", ")} before the run, ${loadAfter.map((n) => n.toFixed(1)).join(", ")} after`,
  "",
  "| figure | what | median | min | max | runs | target | |",
  "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ...ratioFigures.map(
    (f) =>
      `| ${f.id} | ${f.title} | ${format(f.median)} | ${format(f.min)} | ${format(f.max)} | ${f.runs} | ${f.goal} | ${f.verdict} |`,
  ),
  "",
  "## Server CPU per request",
  "",
  "The server process's CPU time (user and system, every thread, from `/proc/PID/stat`) over each",
  "measured window, divided by the requests answered in it; the ratio is to the CPU per request of",
  "the figure's baseline (the bare `node:http` server, or for figure 6 the server with 10 secrets)",
  "in the same run. Each cell: median (min–max) over the runs; the target is judged on the median.",
  "",
  "| figure | what | req/s | ÷ baseline req/s | CPU µs/request | ÷ baseline CPU | target | |",
  "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ...cpuFigures.map((f) => {
    const cells = [
      f.id,
      f.title,
      range(f.cpu.rps, Math.round),
      f.reference ? "1" : range(f, format),
      range(f.cpu.us, (n) => (Number.isNaN(n) ? "n/a" : n.toFixed(0))),
      f.reference ? "1" : range(f.cpu.ratio, format),
      f.cpu.goal ?? "",
      f.cpu.verdict ?? "",
    ];
    return `| ${cells.join(" | ")} |`;
  }),
  "",
  "## Notes",
  "",
  ...ratioFigures.filter((f) => f.note).map((f) => `- **${f.id}** ${f.title}: ${f.note}`),
  "",
  "## Output of each benchmark",
  "",
  ...outputs.flatMap(({ file, output, ok, code, signal }) => [
    `### ${file}${ok ? "" : ` (failed: ${signal ?? `exit code ${code}`})`}`,
    "",
    "```",
    output.trimEnd(),
    "```",
    "",
  ]),
];
writeFileSync(join(here, "RESULTS.md"), lines.join("\n"));
console.log(`\nwrote bench/RESULTS.md (${figures.length} figures, ${minutes} min)`);
process.exit(outputs.every((o) => o.ok) ? 0 : 1);
