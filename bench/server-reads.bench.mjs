// Figure 1: value reads against a bare node:http server returning fixed JSON, measured in the same
// run. Targets: SQLite value reads (`secretValue` with a RUNNER token: auth, storage, decryption
// and the read's audit event, log level warn) ≥ 0.5 of the baseline's requests/s and ≤ 2.5× its
// server CPU per request; PostgreSQL value reads (with HUSH_TEST_POSTGRES_URL set) ≥ 0.25 and
// ≤ 3.5×; `{ __typename }` with a RUNNER token (the GraphQL pipeline and the token check, nothing
// stored) ≤ 1.8× the baseline's CPU per request. Also reported, for where the time goes: a Fastify
// route returning fixed JSON, `{ me { role } }`, `{ __typename }` without a token (hush's transport
// alone), `secretNames` (auth and storage, no decryption, no audit) and value reads at log level
// info.
//
// Each run measures the baseline and every target once, in turn (32 keep-alive connections,
// autocannon, a warm-up and a measured window each); the ratios are taken within a run.
//
// Usage: node server-reads.bench.mjs [--profile DIR]   (pnpm build first)
//   --profile DIR  starts every hush-server with --cpu-prof, writing .cpuprofile files into DIR
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { FIXED_BODY } from "./support/baseline-servers.mjs";
import {
  benchPostgres,
  graphql,
  main,
  measureAgainstBaseline,
  prepareHush,
  SET_SECRET,
  startBaseline,
  startHush,
  stop,
} from "./support/harness.mjs";
import { figure, RUNS, reference, SECONDS } from "./support/results.mjs";

const SECRETS = 10;
const { values: args } = parseArgs({ options: { profile: { type: "string" } } });
const profileDir = args.profile === undefined ? undefined : resolve(args.profile);
if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
const nodeOptions = profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [];

const query = (q) => JSON.stringify({ query: q });
const secretName = (i) => `BENCH_SECRET_${i}`;

await main("hush-bench-reads", async (run) => {
  const values = Array.from(
    { length: SECRETS },
    (_, i) => `sk_bench_${i}_${randomBytes(16).toString("hex")}`,
  );
  const readBodies = new Set(
    values.map((value) => JSON.stringify({ data: { secretValue: value } })),
  );
  const names = JSON.stringify({
    data: { secretNames: values.map((_, i) => secretName(i)).sort() },
  });

  /** A started hush on a fresh data folder holding the secrets. */
  async function hushWithSecrets(name, level, databaseUrl) {
    const prepared = await prepareHush(run, name, databaseUrl);
    const server = await startHush(run, prepared, { level, nodeOptions });
    for (let i = 0; i < values.length; i++) {
      await graphql(server.url, prepared.admin, SET_SECRET, {
        name: secretName(i),
        value: values[i],
      });
    }
    return { ...server, runner: prepared.runner };
  }

  const targets = [];
  const baseline = await startBaseline(run, "node-http");
  const fastify = await startBaseline(run, "fastify");
  const fixed = [{ body: query("{ secretNames }") }];
  targets.push({
    label: "Fastify route, fixed JSON",
    url: fastify.url,
    child: fastify.child,
    requests: fixed,
    verify: (b) => b === FIXED_BODY,
  });

  const sqlite = await hushWithSecrets("sqlite", "warn");
  const auth = { authorization: `Bearer ${sqlite.runner}` };
  const reads = (server) =>
    values.map((_, i) => ({
      body: query(`query { secretValue(name: "${secretName(i)}") }`),
      headers: { authorization: `Bearer ${server.runner}` },
    }));
  targets.push(
    {
      label: "SQLite value reads",
      key: "sqlite",
      url: sqlite.url,
      child: sqlite.child,
      requests: reads(sqlite),
      verify: (b) => readBodies.has(b),
    },
    {
      label: "SQLite secretNames",
      url: sqlite.url,
      child: sqlite.child,
      requests: [{ body: query("query { secretNames }"), headers: auth }],
      verify: (b) => b === names,
    },
    {
      label: "{ __typename }, RUNNER token",
      key: "typename",
      url: sqlite.url,
      child: sqlite.child,
      requests: [{ body: query("{ __typename }"), headers: auth }],
      verify: (b) => b === '{"data":{"__typename":"Query"}}',
    },
    {
      label: "{ me { role } }, RUNNER token",
      url: sqlite.url,
      child: sqlite.child,
      requests: [{ body: query("{ me { role } }"), headers: auth }],
      verify: (b) => b === '{"data":{"me":{"role":"RUNNER"}}}',
    },
    {
      label: "{ __typename }, no token",
      url: sqlite.url,
      child: sqlite.child,
      requests: [{ body: query("{ __typename }") }],
      verify: (b) => b === '{"data":{"__typename":"Query"}}',
    },
  );
  const sqliteInfo = await hushWithSecrets("sqlite-info", "info");
  targets.push({
    label: "SQLite value reads, log level info",
    url: sqliteInfo.url,
    child: sqliteInfo.child,
    requests: reads(sqliteInfo),
    verify: (b) => readBodies.has(b),
  });

  const postgresUrl = await benchPostgres(run, "reads");
  if (postgresUrl) {
    const postgres = await hushWithSecrets("postgres", "warn", postgresUrl);
    targets.push({
      label: "PostgreSQL value reads",
      key: "postgres",
      url: postgres.url,
      child: postgres.child,
      requests: reads(postgres),
      verify: (b) => readBodies.has(b),
    });
  }

  const { bases, ratios, cpuRatios, figures, last } = await measureAgainstBaseline({
    baseline,
    targets,
    rounds: RUNS,
    seconds: SECONDS,
    unit: "req/s",
  });
  for (const child of new Set([baseline.child, ...targets.map((t) => t.child)])) await stop(child);

  const note = (target) => {
    const r = last.get(target);
    return `last run: ${Math.round(r.rps)} vs ${Math.round(r.base)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms`;
  };
  // Targets on requests/s and on server CPU per request, both against the baseline.
  const goals = {
    sqlite: [{ atLeast: 0.5 }, { atMost: 2.5 }],
    postgres: [{ atLeast: 0.25 }, { atMost: 3.5 }],
    typename: [undefined, { atMost: 1.8 }],
  };
  reference({ id: "1 (ref)", title: "bare node:http, fixed JSON", runs: bases });
  for (const target of targets) {
    const [goal, cpuGoal] = goals[target.key] ?? [];
    figure({
      id: goal || cpuGoal ? "1" : "1 (ref)",
      title: `${target.label} / node:http`,
      ratios: ratios.get(target),
      target: goal,
      note: note(target),
      cpu: { runs: figures.get(target), ratios: cpuRatios.get(target), target: cpuGoal },
    });
  }
});
