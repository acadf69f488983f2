// hush-server's value-read throughput against a bare node:http server measured in the same run.
// The design's goal: with one server process and 32 keep-alive connections, value reads
// (`secretValue` with a RUNNER token: auth, storage, decryption and the read's audit event)
// reach at least 0.5 of the baseline's requests/s. Also measured, for reference: a Fastify route
// returning fixed JSON, hush's transport alone (`{ __typename }`, no token), `secretNames` (no
// decryption, no audit), and reads at the default log level (one line per request). With
// HUSH_TEST_POSTGRES_URL set, reads and names run against PostgreSQL too, in a database created
// for the run and dropped after it.
//
// Every server and the load generator run in their own processes, on loopback only; each target
// gets a warm-up and a measured window (HUSH_BENCH_SECONDS, default 5). Temp folders, processes
// and the PostgreSQL database are removed even when the run fails.
//
// Usage: node server-reads.bench.mjs [--profile DIR] [--bin FILE]   (pnpm build first)
//   --profile DIR  starts every hush-server with --cpu-prof, writing .cpuprofile files into DIR
//   --bin FILE     measures this hush-server build (its dist/bin.js) instead of the workspace's,
//                  e.g. to compare two builds
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { FIXED_BODY } from "./support/baseline-servers.mjs";

const CONNECTIONS = 32;
const WARMUP_MS = 1000;
const SECONDS = Number(process.env.HUSH_BENCH_SECONDS ?? 5);
if (!(SECONDS >= 1 && SECONDS <= 60)) {
  console.error("HUSH_BENCH_SECONDS must be a number of seconds from 1 to 60.");
  process.exit(1);
}
const MEASURE_MS = SECONDS * 1000;
const SECRETS = 10;
const GOAL = 0.5;

const here = import.meta.dirname;
const { values: args } = parseArgs({
  options: { profile: { type: "string" }, bin: { type: "string" } },
});
const profileDir = args.profile === undefined ? undefined : resolve(args.profile);
if (profileDir !== undefined) mkdirSync(profileDir, { recursive: true });
const serverPackage = createRequire(import.meta.url).resolve("@hush/server/package.json");
const BIN = args.bin ? resolve(args.bin) : join(dirname(serverPackage), "dist", "bin.js");
if (!existsSync(BIN)) {
  console.error(`${BIN} does not exist: run pnpm build first (pnpm bench does).`);
  process.exit(1);
}

// ---- cleanup: every process, folder and database this run creates ---------------------------

const children = new Set();
const cleanups = [];
const tempDir = mkdtempSync(join(tmpdir(), "hush-bench-server-"));
cleanups.push(() => rmSync(tempDir, { recursive: true, force: true }));

async function cleanUp() {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
  for (const step of cleanups.splice(0).reverse()) {
    try {
      await step();
    } catch (error) {
      console.error(`cleanup: ${error.message}`);
    }
  }
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => cleanUp().finally(() => process.exit(130)));
}

function track(child) {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((done) => child.once("exit", done));
}

/** SIGTERM, then SIGKILL if it has not exited within 10 s. */
async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited(child);
  clearTimeout(timer);
}

// ---- servers ------------------------------------------------------------------------------------

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/** Starts a reference server and resolves with its port once it listens. */
function startBaseline(kind) {
  const child = track(
    spawn(process.execPath, [join(here, "support", "baseline-servers.mjs"), kind], {
      stdio: ["ignore", "pipe", "inherit"],
    }),
  );
  return new Promise((done, fail) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match) done({ child, port: Number(match[1]) });
    });
    child.once("exit", (code) => fail(new Error(`the ${kind} server exited early (${code})`)));
  });
}

// The load comes from one token and one address: limits high enough never to refuse it, so that
// their cost is measured but not their effect.
const hushEnv = {
  PATH: process.env.PATH ?? "",
  HOME: tempDir,
  HUSH_RATE_LIMIT_TOKEN: "1000000000",
  HUSH_RATE_LIMIT_ADDRESS: "1000000000",
};

function hush(args) {
  return new Promise((done, fail) => {
    execFile(process.execPath, [BIN, ...args], { env: hushEnv, timeout: 30_000 }, (e, out, err) =>
      e ? fail(new Error(`hush-server ${args[0]} failed: ${err || e.message}`)) : done(out),
    );
  });
}

/**
 * Starts `hush-server start` with its log lines going to a file, as a deployment's stdout would
 * go to a file or a collector, and resolves once it listens.
 */
async function startHush(storage, level) {
  const log = join(tempDir, `server-${Date.now()}-${level}.log`);
  const fd = openSync(log, "w");
  const node = profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : [];
  const child = track(
    spawn(
      process.execPath,
      [...node, BIN, "start", ...storage, "--port", "0", "--log-level", level],
      { env: hushEnv, stdio: ["ignore", fd, "pipe"] },
    ),
  );
  closeSync(fd);
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  for (let waited = 0; waited < 30_000; waited += 50) {
    const match = /hush-server listening on (http:\/\/\S+)/.exec(readFileSync(log, "utf8"));
    if (match) return { child, url: match[1], port: Number(new URL(match[1]).port), log };
    if (child.exitCode !== null) break;
    await sleep(50);
  }
  throw new Error(`hush-server start did not come up:\n${stderr}`);
}

async function graphql(url, token, query, variables) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`${query}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** A data folder (on SQLite, or on PostgreSQL when a URL is given) with a RUNNER token. */
async function prepareHush(name, databaseUrl) {
  const dataDir = join(tempDir, name);
  const storage = ["--data-dir", dataDir, ...(databaseUrl ? ["--database-url", databaseUrl] : [])];
  const admin = JSON.parse(await hush(["init", ...storage, "--json"])).token;
  const runner = JSON.parse(
    await hush(["token", "create", ...storage, "--role", "RUNNER", "--name", "bench", "--json"]),
  ).token;
  return { storage, admin, runner };
}

// ---- measuring ----------------------------------------------------------------------------------

/** Runs the load generator against a port; resolves with its figures. */
function load(port, headers, requests) {
  const config = {
    port,
    path: "/graphql",
    headers,
    connections: CONNECTIONS,
    warmupMs: WARMUP_MS,
    durationMs: MEASURE_MS,
    requests,
  };
  return new Promise((done, fail) => {
    track(
      execFile(
        process.execPath,
        [join(here, "support", "load-generator.mjs"), JSON.stringify(config)],
        { timeout: WARMUP_MS + MEASURE_MS + 15_000 },
        (error, stdout, stderr) =>
          error ? fail(new Error(`load generator: ${stderr || error.message}`)) : done(stdout),
      ),
    );
  }).then((stdout) => JSON.parse(stdout));
}

const secretName = (i) => `BENCH_SECRET_${i}`;
const secretValueOf = (i) => `sk_bench_${i}_${randomBytes(16).toString("hex")}`;
const query = (q) => JSON.stringify({ query: q });
const fixed = [{ body: query("{ secretNames }"), expected: FIXED_BODY }];

/** Value reads spread over the secrets, one name per connection, each with its expected body. */
function readRequests(values) {
  return values.map((value, i) => ({
    body: query(`query { secretValue(name: "${secretName(i)}") }`),
    expected: JSON.stringify({ data: { secretValue: value } }),
  }));
}

const results = [];
function report(label, figures, extra = "") {
  results.push({ label, ...figures });
  const errors = figures.errors > 0 ? `, ${figures.errors} errors (${figures.firstError})` : "";
  console.log(
    `  ${label}: ${Math.round(figures.rps)} req/s, p50 ${figures.p50.toFixed(2)} ms, p99 ${figures.p99.toFixed(2)} ms${errors}${extra}`,
  );
}

/** Starts hush on a prepared folder, sets the secrets, measures each scenario, stops it. */
async function measureHush(label, prepared, level, scenarios, values) {
  const server = await startHush(prepared.storage, level);
  try {
    for (let i = 0; i < values.length; i++) {
      await graphql(
        server.url,
        prepared.admin,
        "mutation($name: String!, $value: JSON!) { setSecret(input: {name: $name, value: $value}) { success } }",
        { name: secretName(i), value: values[i] },
      );
    }
    const names = JSON.stringify({
      data: { secretNames: values.map((_, i) => secretName(i)).sort() },
    });
    const auth = { Authorization: `Bearer ${prepared.runner}` };
    for (const scenario of scenarios) {
      if (scenario === "reads") {
        report(`${label} reads, log ${level}`, await load(server.port, auth, readRequests(values)));
      } else if (scenario === "names") {
        const requests = [{ body: query("query { secretNames }"), expected: names }];
        report(`${label} secretNames, log ${level}`, await load(server.port, auth, requests));
      } else if (scenario === "typename") {
        const requests = [
          { body: query("{ __typename }"), expected: '{"data":{"__typename":"Query"}}' },
        ];
        report(
          `${label} { __typename }, no token, log ${level}`,
          await load(server.port, {}, requests),
        );
      }
    }
  } finally {
    await stop(server.child);
    const size = statSync(server.log).size;
    if (level === "info") console.log(`    (log file: ${(size / 1024 / 1024).toFixed(1)} MiB)`);
  }
}

async function measureBaseline(kind, label) {
  const server = await startBaseline(kind);
  try {
    report(label, await load(server.port, {}, fixed));
  } finally {
    await stop(server.child);
  }
}

async function withPostgresDatabase(url, body) {
  const database = `hush_bench_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${database}`);
    cleanups.push(async () => {
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    });
  } catch (error) {
    await admin.end();
    throw error;
  }
  const target = new URL(url);
  target.pathname = `/${database}`;
  await body(target.toString());
}

// ---- the run ------------------------------------------------------------------------------------

async function main() {
  console.log(
    `${CONNECTIONS} keep-alive connections, ${WARMUP_MS / 1000} s warm-up + ${MEASURE_MS / 1000} s measured per target, loopback, ${availableParallelism()} cores`,
  );
  // The server and the load generator each want a core: other work skews every figure.
  const busy = loadavg()[0];
  if (busy > 0.5)
    console.log(`  (load average ${busy.toFixed(1)} before the run: figures may be low)`);
  await measureBaseline("node-http", "node:http, fixed JSON (baseline)");
  await measureBaseline("fastify", "Fastify route, fixed JSON, no logger");

  const values = Array.from({ length: SECRETS }, (_, i) => secretValueOf(i));
  const sqlite = await prepareHush("sqlite");
  await measureHush("hush (SQLite)", sqlite, "warn", ["reads", "names", "typename"], values);
  await measureHush("hush (SQLite)", sqlite, "info", ["reads", "names"], values);

  const postgresUrl = process.env.HUSH_TEST_POSTGRES_URL;
  if (postgresUrl) {
    await withPostgresDatabase(postgresUrl, async (url) => {
      const postgres = await prepareHush("postgres", url);
      await measureHush("hush (PostgreSQL)", postgres, "warn", ["reads", "names"], values);
    });
  }

  // The baseline again: the mean of both runs evens out drift during the run.
  await measureBaseline("node-http", "node:http, fixed JSON (baseline, again)");

  const baseline = (results[0].rps + results.at(-1).rps) / 2;
  console.log(
    `\nratio to the baseline (mean of both baseline runs, ${Math.round(baseline)} req/s):`,
  );
  for (const result of results.slice(1, -1)) {
    console.log(`  ${(result.rps / baseline).toFixed(2)}  ${result.label}`);
  }
  const reads = results.find((r) => r.label === "hush (SQLite) reads, log warn");
  const ratio = reads.rps / baseline;
  const clean = results.every((r) => r.errors === 0);
  console.log(
    `goal: SQLite value reads ≥ ${GOAL} of the baseline → ${ratio >= GOAL ? "met" : "NOT met"} (${ratio.toFixed(2)})${clean ? "" : "; some responses were errors (see above)"}`,
  );
  if (!clean) process.exitCode = 1;
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
