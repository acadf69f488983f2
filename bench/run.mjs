// Runs every benchmark in this folder (`*.bench.mjs`) one after another. Each compares hush against
// a baseline measured in the same run and prints figures and the ratio; none asserts on time.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const benches = readdirSync(here)
  .filter((file) => file.endsWith(".bench.mjs") && (!only || file.includes(only)))
  .sort();

let failed = 0;
for (const file of benches) {
  console.log(`\n# ${file}`);
  const result = spawnSync(process.execPath, [join(here, file)], { stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
