// Where a .cpuprofile (from a bench's --profile DIR) spends its time: the functions with the most
// samples of their own ("self") and with the most samples below them ("total"), as shares of
// the profile's busy samples (idle and GC listed apart).
//
// Usage: node bench/profile-top.mjs FILE.cpuprofile [--top N] [--match TEXT] [--last SECONDS]
//   --match TEXT     only functions whose name or file contains TEXT
//   --last SECONDS   only the samples of the profile's last SECONDS (the measured window, not the
//                    start-up and warm-up before it)
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { parseArgs } from "node:util";

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: "string", default: "25" },
    match: { type: "string" },
    last: { type: "string" },
  },
});
if (positionals.length !== 1) {
  console.error(
    "Usage: node bench/profile-top.mjs FILE.cpuprofile [--top N] [--match TEXT] [--last SECONDS]",
  );
  process.exit(2);
}
const profile = JSON.parse(readFileSync(positionals[0], "utf8"));
const top = Number(args.top);

const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parents.set(child, node.id);
// Sample times, in µs from the profile's start.
const times = [];
let time = 0;
for (const delta of profile.timeDeltas) {
  time += delta;
  times.push(time);
}
const from = args.last === undefined ? 0 : time - Number(args.last) * 1e6;
const samples = profile.samples.filter((_, i) => times[i] >= from);
const samplesOf = new Map();
for (const id of samples) samplesOf.set(id, (samplesOf.get(id) ?? 0) + 1);

const place = ({ functionName, url, lineNumber }) => {
  const file = url.startsWith("file://") ? relative(process.cwd(), new URL(url).pathname) : url;
  return `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
};
const SPECIAL = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

const self = new Map();
const total = new Map();
let busy = 0;
const special = new Map();
for (const [id, count] of samplesOf) {
  const node = nodes.get(id);
  const name = node.callFrame.functionName;
  if (SPECIAL.has(name)) {
    special.set(name, (special.get(name) ?? 0) + count);
    if (name === "(idle)") continue;
  }
  busy += count;
  const key = place(node.callFrame);
  self.set(key, (self.get(key) ?? 0) + count);
  // Each function once per sample, however often it recurs on the stack.
  const seen = new Set();
  for (let at = id; at !== undefined; at = parents.get(at)) {
    const k = place(nodes.get(at).callFrame);
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + count);
  }
}

const all = samples.length;
console.log(`${positionals[0]}: ${all} samples, ${busy} busy`);
for (const [name, count] of special)
  console.log(`  ${name}: ${((100 * count) / all).toFixed(1)} % of all`);
const show = (title, counts) => {
  console.log(`${title} (% of busy samples):`);
  const rows = [...counts]
    .filter(([key]) => args.match === undefined || key.includes(args.match))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top);
  for (const [key, count] of rows)
    console.log(`  ${((100 * count) / busy).toFixed(1).padStart(5)}  ${key}`);
};
show("self", self);
show("total", total);
