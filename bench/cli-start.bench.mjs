// How fast the `hush` CLI starts, against `node -e 0` measured in the same run (median of RUNS
// runs each, interleaved so that machine load hits both alike). Targets from the CLI issue:
//   hush secrets get NAME --local          ≤ 1.2 × node -e 0
//   hush run -- true, 20 server secrets    ≤ 1.6 × node -e 0 (a real hush-server on loopback)
//
// Usage: node cli-start.bench.mjs   (pnpm build first; pnpm bench does). HUSH_BENCH_RUNS sets RUNS.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp, openService } from "@hush/server";
import { figure } from "./support/results.mjs";

const RUNS = Number(process.env.HUSH_BENCH_RUNS ?? 25);
if (!(RUNS >= 20 && RUNS <= 500)) {
  console.error("HUSH_BENCH_RUNS must be a whole number from 20 to 500.");
  process.exit(1);
}
const SERVER_SECRETS = 20;
const BIN = join(import.meta.dirname, "..", "apps", "cli", "dist", "hush.cjs");
if (!existsSync(BIN)) {
  console.error(`${BIN} does not exist: run pnpm build first (pnpm bench does).`);
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), "hush-bench-cli-"));
let app;
let service;
try {
  service = await openService({ dataDir: join(dir, "data"), env: {} });
  const { token } = await service.createTenant("bench");
  const admin = await service.authenticate(token);
  for (let i = 0; i < SERVER_SECRETS; i++) {
    await service.setSecret(admin, `SECRET_${i}`, `value-${i}-${"x".repeat(24)}`);
  }
  app = await buildApp({ service, logger: false });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const endpoint = `http://127.0.0.1:${app.server.address().port}`;

  const localHome = join(dir, "local");
  mkdirSync(join(localHome, ".hush"), { recursive: true });
  writeFileSync(join(localHome, ".hush", "config.toml"), '[context.secrets]\nAPI_KEY = "abc123"\n');
  const serverHome = join(dir, "server");
  mkdirSync(join(serverHome, ".hush"), { recursive: true });
  writeFileSync(
    join(serverHome, ".hush", "config.toml"),
    `[cloud]\nendpoint = "${endpoint}"\nuse_local_secrets = false\n`,
  );
  const baseEnv = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("HUSH")),
  );

  const cases = [
    {
      name: "hush secrets get NAME --local",
      args: [BIN, "secrets", "get", "API_KEY", "--local"],
      env: { ...baseEnv, HOME: localHome },
      target: 1.2,
    },
    {
      name: `hush run -- true (${SERVER_SECRETS} server secrets)`,
      args: [BIN, "run", "--", "true"],
      env: { ...baseEnv, HOME: serverHome, HUSH__CLOUD__API_KEY: token },
      target: 1.6,
    },
  ];
  const baseline = { args: ["-e", "0"], env: baseEnv };

  for (const c of cases) {
    await time(c); // warm-up: the file system cache, the server's first requests
    await time(baseline);
    const ours = [];
    const base = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(await time(c));
      base.push(await time(baseline));
    }
    const ratio = median(ours) / median(base);
    console.log(
      `${c.name.padEnd(44)} median ${median(ours).toFixed(1)} ms; node -e 0 ${median(base).toFixed(1)} ms; ` +
        `ratio ${ratio.toFixed(2)} (target ≤ ${c.target}) ${ratio <= c.target ? "ok" : "MISSED"}`,
    );
    figure({
      id: "3",
      title: `${c.name} / node -e 0`,
      ratios: [ratio],
      target: { atMost: c.target },
      note: `medians of ${RUNS} spawns each: ${median(ours).toFixed(1)} ms vs ${median(base).toFixed(1)} ms`,
    });
  }
} finally {
  await app?.close();
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
}

/** Runs node with `args` once and returns the wall time in ms; fails on a non-zero exit. */
function time({ args, env }) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`${args.join(" ")} exited ${code}: ${stderr}`));
      else resolve(Number(process.hrtime.bigint() - start) / 1e6);
    });
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
