// Figure 2: acknowledged `setSecret` writes per second at 32 concurrent writers (32 keep-alive
// connections, one write in flight on each), against a bare node:http server returning fixed JSON
// measured in the same run, with each server's CPU per request. Targets (every write fsync'd or
// committed before it is acknowledged, concurrent writes committed in groups): ≥ 0.2 of the
// baseline's requests/s on SQLite, ≥ 0.1 on PostgreSQL (with HUSH_TEST_POSTGRES_URL set); the CPU
// per write is reported. Every write sets a new secret (its name carries a running count), so
// writers never wait on each other's row locks; only a 200 with `success: true` counts.
//
// Usage: node server-writes.bench.mjs [--profile DIR]   (pnpm build first)
//   --profile DIR  starts every hush-server with --cpu-prof, writing .cpuprofile files into DIR
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  benchPostgres,
  main,
  measureAgainstBaseline,
  prepareHush,
  SET_SECRET,
  startBaseline,
  startHush,
  stop,
} from "./support/harness.mjs";
import { figure, RUNS, reference, SECONDS } from "./support/results.mjs";

const { values: args } = parseArgs({ options: { profile: { type: "string" } } });
const profileDir = args.profile === undefined ? undefined : resolve(args.profile);
if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
const nodeOptions = profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [];

const RUN_ID = randomBytes(4).toString("hex");
let writes = 0;
// One document with variables, as clients send it: the server's compiled-document cache hits.
const write = () =>
  JSON.stringify({
    query: SET_SECRET,
    variables: {
      name: `BENCH_WRITE_${RUN_ID}_${writes++}`,
      value: "sk_bench_value_0123456789abcdef",
    },
  });
const written = (body) => body.startsWith('{"data":{"setSecret":{"success":true');
/** A target's load: new secrets written to `server` with the admin token of `prepared`. */
const writesTo = (server, prepared) => ({
  child: server.child,
  url: server.url,
  requests: [{ body: write, headers: { authorization: `Bearer ${prepared.admin}` } }],
  verify: written,
});

await main("hush-bench-writes", async (run) => {
  const baseline = await startBaseline(run, "node-http");
  const targets = [];
  const sqlite = await prepareHush(run, "sqlite");
  targets.push({
    label: "SQLite setSecret",
    key: "sqlite",
    ...writesTo(await startHush(run, sqlite, { nodeOptions }), sqlite),
  });
  const postgresUrl = await benchPostgres(run, "writes");
  if (postgresUrl) {
    const postgres = await prepareHush(run, "postgres", postgresUrl);
    targets.push({
      label: "PostgreSQL setSecret",
      key: "postgres",
      ...writesTo(await startHush(run, postgres, { nodeOptions }), postgres),
    });
  }

  const { bases, ratios, cpuRatios, figures, last } = await measureAgainstBaseline({
    baseline,
    targets,
    rounds: RUNS,
    seconds: SECONDS,
    unit: "writes/s",
  });
  for (const target of targets) await stop(target.child);
  await stop(baseline.child);

  reference({ id: "2 (ref)", title: "bare node:http, fixed JSON", runs: bases });
  for (const target of targets) {
    const r = last.get(target);
    figure({
      id: "2",
      title: `${target.label}, 32 writers / node:http`,
      ratios: ratios.get(target),
      target: { atLeast: target.key === "sqlite" ? 0.2 : 0.1 },
      note: `last run: ${Math.round(r.rps)} acknowledged writes/s vs ${Math.round(r.base)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`,
      cpu: { runs: figures.get(target), ratios: cpuRatios.get(target) },
    });
  }
});
