// What the benchmarks and the reliability suite share: the processes and folders a run creates
// (all removed at the end, even when the run fails), hush-server started as a real process on a
// loopback port, the reference servers, a GraphQL call, a PostgreSQL database made for the run,
// and the load generator (autocannon, driven from this process; every server runs in its own).
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { startHushServer } from "@hush/test-support/start-hush-server";
import autocannon from "autocannon";
import pg from "pg";
import { FIXED_BODY } from "./baseline-servers.mjs";
import { cpuMicros, formatMicros } from "./cpu.mjs";

const here = import.meta.dirname;
const require = createRequire(import.meta.url);

/**
 * The built hush-server command: the workspace's, or the one HUSH_BENCH_BIN names (another
 * build's dist/bin.js), to measure a build from before a change against the same baseline.
 */
export const HUSH_BIN = process.env.HUSH_BENCH_BIN
  ? resolve(process.env.HUSH_BENCH_BIN)
  : join(dirname(require.resolve("@hush/server/package.json")), "dist", "bin.js");

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * One run's processes, folders and databases. `cleanUp()` kills and removes them all; it also runs
 * on SIGINT/SIGTERM.
 */
export function createRun(prefix) {
  const children = new Set();
  const cleanups = [];
  const tempDir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  cleanups.push(() => rmSync(tempDir, { recursive: true, force: true }));
  const run = {
    tempDir,
    // The load comes from one token and one address: rate limits high enough never to refuse
    // it, so that their cost is measured but not their effect.
    env: {
      PATH: process.env.PATH ?? "",
      HOME: tempDir,
      HUSH_RATE_LIMIT_TOKEN: "1000000000",
      HUSH_RATE_LIMIT_ADDRESS: "1000000000",
      // The hostile suite sends many wrong tokens on purpose; its valid reads must still pass.
      HUSH_AUTH_FAILURE_LIMIT: "1000000000",
    },
    track(child) {
      children.add(child);
      child.once("exit", () => children.delete(child));
      return child;
    },
    onCleanUp(step) {
      cleanups.push(step);
    },
    async cleanUp() {
      for (const child of children) child.kill("SIGKILL");
      children.clear();
      for (const step of cleanups.splice(0).reverse()) {
        try {
          await step();
        } catch (error) {
          console.error(`cleanup: ${error.message}`);
        }
      }
    },
  };
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => run.cleanUp().finally(() => process.exit(130)));
  }
  return run;
}

/** Runs `main(run)` with a fresh run, cleans up after it, and sets the exit code on failure. */
export async function main(prefix, body) {
  if (!existsSync(HUSH_BIN)) {
    console.error(`${HUSH_BIN} does not exist: run pnpm build first.`);
    process.exit(1);
  }
  const run = createRun(prefix);
  try {
    await body(run);
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    await run.cleanUp();
  }
}

function exited(child) {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((done) => child.once("exit", done));
}

/** SIGTERM, then SIGKILL if it has not exited within 10 s. */
export async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited(child);
  clearTimeout(timer);
}

/** SIGKILL, resolved once the process is gone. */
export async function kill(child) {
  child.kill("SIGKILL");
  await exited(child);
}

/** Starts a reference server (`node-http` or `fastify`); resolves with its URL once it listens. */
export function startBaseline(run, kind) {
  const child = run.track(
    spawn(process.execPath, [join(here, "baseline-servers.mjs"), kind], {
      stdio: ["ignore", "pipe", "inherit"],
    }),
  );
  return new Promise((done, fail) => {
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /listening (\d+)/.exec(out);
      if (match) done({ child, url: `http://127.0.0.1:${match[1]}` });
    });
    child.once("exit", (code) => fail(new Error(`the ${kind} server exited early (${code})`)));
  });
}

/** Runs a hush-server command to completion; resolves with its stdout. */
export function hushCommand(run, args) {
  return new Promise((done, fail) => {
    execFile(
      process.execPath,
      [HUSH_BIN, ...args],
      { env: run.env, timeout: 60_000 },
      (e, out, err) =>
        e ? fail(new Error(`hush-server ${args[0]} failed: ${err || e.message}`)) : done(out),
    );
  });
}

/**
 * A data folder (on SQLite, or on PostgreSQL when a URL is given), initialised, with an admin
 * token and a RUNNER token.
 */
export async function prepareHush(run, name, databaseUrl) {
  const dataDir = join(run.tempDir, name);
  const storage = ["--data-dir", dataDir, ...(databaseUrl ? ["--database-url", databaseUrl] : [])];
  const admin = JSON.parse(await hushCommand(run, ["init", ...storage, "--json"])).token;
  const runner = await createRunnerToken(run, storage);
  return { dataDir, databaseUrl, storage, admin, runner };
}

/** A RUNNER token named `bench`, created offline in the data folder (in `tenant` if given). */
export async function createRunnerToken(run, storage, tenant) {
  const inTenant = tenant === undefined ? [] : ["--tenant", tenant];
  const args = ["token", "create", ...storage, ...inTenant, "--role", "RUNNER", "--name", "bench"];
  return JSON.parse(await hushCommand(run, [...args, "--json"])).token;
}

/**
 * Starts `hush-server start` with its log lines going to a file, as a deployment's stdout would
 * go to a file or a collector, and resolves once it listens.
 * `nodeOptions`: options for node itself, e.g. `["--cpu-prof", "--cpu-prof-dir", DIR]`.
 */
export async function startHush(run, prepared, { level = "warn", nodeOptions = [] } = {}) {
  const log = join(run.tempDir, `server-${Date.now()}-${randomBytes(3).toString("hex")}.log`);
  const server = await startHushServer([...prepared.storage, "--log-level", level], {
    bin: HUSH_BIN,
    env: run.env,
    nodeOptions,
    logFile: log,
    timeoutMs: 60_000,
  });
  run.track(server.child);
  return { child: server.child, url: server.url, log, stderr: () => server.output().stderr };
}

/** One GraphQL request; resolves with `data`, rejects on errors. */
export async function graphql(url, token, query, variables) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`${query.slice(0, 80)}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export const SET_SECRET =
  "mutation($name: String!, $value: JSON!) { setSecret(input: {name: $name, value: $value}) { success version } }";
export const SET_SECRETS =
  "mutation($secrets: [SetSecretInput!]!) { setSecrets(input: {secrets: $secrets}) { success } }";

/**
 * PostgreSQL for a server figure: a database of the run's own (see `postgresDatabase`) when
 * HUSH_TEST_POSTGRES_URL is set; otherwise it says that `what` are not measured there and
 * resolves with undefined.
 */
export async function benchPostgres(run, what) {
  const url = process.env.HUSH_TEST_POSTGRES_URL;
  if (url) return postgresDatabase(run, url);
  console.log(`  (HUSH_TEST_POSTGRES_URL is not set: PostgreSQL ${what} are not measured)`);
  return undefined;
}

/** Creates a database for the run (dropped at clean-up); resolves with its URL. */
export async function postgresDatabase(run, url) {
  const database = `hush_bench_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database ${database}`);
  } catch (error) {
    await admin.end();
    throw error;
  }
  run.onCleanUp(async () => {
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  });
  const target = new URL(url);
  target.pathname = `/${database}`;
  return target.toString();
}

/** The server process's resident memory in MiB (Linux), or NaN where /proc is missing. */
export function rssMiB(child) {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/**
 * Drives `connections` keep-alive connections at a server's /graphql for a warm-up and then a
 * measured window, with autocannon. `requests`: `[{ body, headers? }]`, sent in turn on every
 * connection. `verify(body)`: true when a 200's body is the right answer; anything else counts
 * as an error. A `body` may be a function, called for each request with a running count. `pid`:
 * the server's process, whose CPU time is read before and after the measured window. Resolves
 * with requests/s, the server's CPU µs per request (NaN without `pid`), latency percentiles (ms)
 * and the error counts.
 */
export async function load({
  url,
  pid,
  connections = 32,
  warmupMs = 1000,
  durationMs,
  requests,
  verify,
}) {
  const base = {
    url: `${url}/graphql`,
    connections,
    pipelining: 1,
    method: "POST",
    headers: { "content-type": "application/json" },
    requests: requests.map(({ body, headers }) => {
      let count = 0;
      return {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        ...(typeof body === "function"
          ? { setupRequest: (request) => ({ ...request, body: body(count++) }) }
          : { body }),
      };
    }),
    verifyBody: verify,
  };
  if (warmupMs > 0) await autocannon({ ...base, duration: warmupMs / 1000 });
  const cpuBefore = pid === undefined ? Number.NaN : cpuMicros(pid);
  const result = await autocannon({ ...base, duration: durationMs / 1000 });
  const cpuAfter = pid === undefined ? Number.NaN : cpuMicros(pid);
  const errors = result.errors + result.timeouts + result.non2xx + result.mismatches;
  const good = result.requests.total - result.non2xx - result.mismatches;
  return {
    rps: good / result.duration,
    cpu: (cpuAfter - cpuBefore) / good,
    total: good,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
    detail: errors
      ? `errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}, wrong bodies ${result.mismatches}`
      : "",
  };
}

/**
 * `rounds` rounds of: the node:http `baseline` under load, then each target in turn (`url`,
 * `child`: its server process, `requests`, `verify`), every load `seconds` long. A target's error
 * fails the run. Returns, per round, the baseline's figures (`bases`: requests/s and CPU µs per
 * request), each target's ratios to the baseline (`ratios`: requests/s, `cpuRatios`: CPU per
 * request), its figures (`figures`), and its last round's figures (`last`).
 */
export async function measureAgainstBaseline({ baseline, targets, rounds, seconds, unit }) {
  const fixed = [{ body: JSON.stringify({ query: "{ ok }" }) }];
  const perTarget = () => new Map(targets.map((t) => [t, []]));
  const [ratios, cpuRatios, figures] = [perTarget(), perTarget(), perTarget()];
  const bases = [];
  const last = new Map();
  for (let round = 1; round <= rounds; round++) {
    const base = await load({
      url: baseline.url,
      pid: baseline.child.pid,
      durationMs: seconds * 1000,
      requests: fixed,
      verify: (b) => b === FIXED_BODY,
    });
    bases.push(base);
    console.log(
      `  run ${round}: node:http baseline ${Math.round(base.rps)} req/s, CPU ${formatMicros(base.cpu)} µs/request, p50 ${base.p50} ms, p99 ${base.p99} ms`,
    );
    for (const target of targets) {
      const result = await load({
        url: target.url,
        pid: target.child?.pid,
        durationMs: seconds * 1000,
        requests: target.requests,
        verify: target.verify,
      });
      if (result.errors > 0) throw new Error(`${target.label}: ${result.detail}`);
      ratios.get(target).push(result.rps / base.rps);
      cpuRatios.get(target).push(result.cpu / base.cpu);
      figures.get(target).push(result);
      last.set(target, { ...result, base: base.rps, baseCpu: base.cpu });
      console.log(
        `    ${target.label}: ${Math.round(result.rps)} ${unit} (${(result.rps / base.rps).toFixed(3)}), CPU ${formatMicros(result.cpu)} µs/request (${(result.cpu / base.cpu).toFixed(2)}× bare), p50 ${result.p50} ms, p99 ${result.p99} ms`,
      );
    }
  }
  return { bases, ratios, cpuRatios, figures, last };
}

/** min/median/max of a list of numbers. */
export function spread(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: sorted[0],
    median:
      sorted.length % 2 === 1
        ? sorted[(sorted.length - 1) / 2]
        : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2,
    max: sorted.at(-1),
    runs: sorted.length,
  };
}
