// How long `loadConfig` takes on a user file with 1,000 secrets (issue target: well under 50 ms),
// against the baseline of reading and parsing the same file with smol-toml alone.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@hush/config";
import { parse } from "smol-toml";

const dir = mkdtempSync(join(tmpdir(), "hush-bench-"));
const file = join(dir, "config.toml");
const lines = ['backend = "cloud"', "[cloud]", "use_local_secrets = true", "[context.secrets]"];
for (let i = 0; i < 1000; i++) {
  lines.push(
    i % 10 === 0
      ? `SECRET_${i} = "$HOME/value-${i}"`
      : `SECRET_${i} = "value-${i}-${"x".repeat(32)}"`,
  );
}
writeFileSync(file, `${lines.join("\n")}\n`);
const env = { HOME: "/home/bench", HUSH__CLOUD__ENDPOINT: "http://127.0.0.1:4200" };

function measure(fn, rounds = 200) {
  for (let i = 0; i < 20; i++) fn();
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(rounds / 2)], p95: times[Math.floor(rounds * 0.95)] };
}

const baseline = measure(() => parse(readFileSync(file, "utf8")));
const hush = measure(() => loadConfig({ env, userConfigPath: file, homeDir: "/home/bench" }));
rmSync(dir, { recursive: true, force: true });

const ms = (n) => `${n.toFixed(2)} ms`;
console.log(`1,000-secret config file, ${lines.length} lines`);
console.log(
  `  baseline (read + smol-toml parse): median ${ms(baseline.median)}, p95 ${ms(baseline.p95)}`,
);
console.log(`  hush loadConfig:                   median ${ms(hush.median)}, p95 ${ms(hush.p95)}`);
console.log(`  ratio hush / baseline (median):    ${(hush.median / baseline.median).toFixed(2)}`);
console.log(
  `  target: well under 50 ms → ${hush.p95 < 50 ? "met" : "NOT met"} (p95 ${ms(hush.p95)})`,
);
