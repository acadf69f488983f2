// What one request costs everyone else: a real hush-server (SQLite) holding 1,000 secrets of
// 64 KiB (64 MiB of values) in one tenant and 1,000 objects of ~8 KiB in another, while a probe
// asks GET /healthz every 5 ms on its own connection.
//
// Sent, each alone and then three at once:
//   - the attack: 20 aliases of secretValues over all 1,000 names (must be refused, quickly);
//   - secretValues without names over the 64 MiB tenant (refused: past the bytes budget);
//   - the heaviest requests allowed: 128 values of 64 KiB (8 MiB, the budget) and every one of
//     the 1,000 objects (~8 MiB of small keys, the costliest JSON to parse and serialise).
//
// Prints, for each: its answer and time, the slowest /healthz answer while it ran, the server's
// longest event-loop stall (prom-client's nodejs_eventloop_lag_max_seconds, read from
// --metrics-port before and after), and the server's memory. Passes when every refusal is a
// BAD_USER_INPUT naming its limit, every allowed request is answered, /healthz always answers
// within 100 ms and the event loop never stalls 50 ms or more; a figure past a limit is measured
// again, twice, and fails only if it is past it every time (a shared machine has hiccups).
//
// Usage: node bench/reliability/request-cost.mjs   (build first: pnpm build)
import { readFileSync } from "node:fs";
import http from "node:http";
import { loadavg } from "node:os";
import {
  createRun,
  createRunnerToken,
  graphql,
  HUSH_BIN,
  hushCommand,
  prepareHush,
  rssMiB,
  SET_SECRETS,
  sleep,
  startHush,
} from "../support/harness.mjs";

const HEALTHZ_LIMIT_MS = 100;
const EVENT_LOOP_LIMIT_MS = 50;
const PROBE_EVERY_MS = 5;
const BIG_VALUE = "x".repeat(64 * 1024 - 2);
// ~8 KiB of JSON in ~600 keys: 1,000 of them are just under the 8 MiB budget.
const OBJECT_VALUE = Object.fromEntries(
  Array.from({ length: 600 }, (_, i) => [`k${i}`, i % 3 === 0 ? i : `v${i}`]),
);

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** POST /graphql without the harness's fetch (whose first use compiles undici's parser). */
function post(url, token, query, variables) {
  const body = JSON.stringify({ query, variables });
  return new Promise((done, fail) => {
    const started = performance.now();
    const request = http.request(
      `${url}/graphql`,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          done({
            status: response.statusCode,
            ms: performance.now() - started,
            bytes: text.length,
            body: JSON.parse(text),
          });
        });
      },
    );
    request.on("error", fail);
    request.end(body);
  });
}

/** GET `path` on its own connection (no agent), resolving with the time to the full answer. */
function timedGet(url, path) {
  return new Promise((done) => {
    const started = performance.now();
    http
      .get(`${url}${path}`, { agent: false }, (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () =>
          done({ ms: performance.now() - started, text: Buffer.concat(chunks).toString() }),
        );
      })
      .on("error", () => done({ ms: Number.POSITIVE_INFINITY, text: "" }));
  });
}

/** Asks /healthz every PROBE_EVERY_MS until stopped; resolves with the slowest answer. */
function probeHealth(url) {
  let running = true;
  const probing = (async () => {
    let slowest = 0;
    let count = 0;
    while (running) {
      const { ms } = await timedGet(url, "/healthz");
      slowest = Math.max(slowest, ms);
      count++;
      await sleep(PROBE_EVERY_MS);
    }
    return { slowest, count };
  })();
  return async () => {
    running = false;
    return probing;
  };
}

/** The server's longest event-loop stall since the previous read, in ms (prom-client resets it). */
async function eventLoopMaxMs(metricsUrl) {
  const { text } = await timedGet(metricsUrl, "/metrics");
  const match = /^nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(text);
  return match ? Number(match[1]) * 1000 : Number.NaN;
}

const names = (prefix, count) =>
  Array.from({ length: count }, (_, i) => `${prefix}_${String(i).padStart(4, "0")}`);

async function seed(url, token, prefix, value) {
  // Request bodies are at most 1 MiB: 12 values of 64 KiB fit.
  for (let i = 0; i < 1000; i += 12) {
    const secrets = names(prefix, 1000)
      .slice(i, i + 12)
      .map((name) => ({ name, value }));
    await graphql(url, token, SET_SECRETS, { secrets });
  }
}

function aliased(count) {
  const fields = Array.from({ length: count }, (_, i) => `a${i}: secretValues(names: $names)`);
  return `query ($names: [String!]) { ${fields.join(" ")} }`;
}

await (async () => {
  const run = createRun("hush-request-cost");
  try {
    const prepared = await prepareHush(run, "request-cost");
    const objects = JSON.parse(
      await hushCommand(run, ["tenant", "create", "objects", ...prepared.storage, "--json"]),
    );
    const objectsRunner = await createRunnerToken(run, prepared.storage, "objects");
    const server = await startHush(run, {
      ...prepared,
      storage: [...prepared.storage, "--metrics-port", "0"],
    });
    const { url, child } = server;
    const metricsUrl = /metrics on (http:\/\/\S+)\/metrics/.exec(
      readFileSync(server.log, "utf8"),
    )[1];
    await seed(url, prepared.admin, "BIG", BIG_VALUE);
    await seed(url, objects.token, "OBJ", OBJECT_VALUE);

    const runner = prepared.runner;
    const allBig = names("BIG", 1000);
    const cases = [
      {
        name: "attack: 20 aliases × 1,000 names of 64 KiB",
        send: () => post(url, runner, aliased(20), { names: allBig }),
        refusedBy: "VALUES_PER_REQUEST",
      },
      {
        name: "secretValues without names, 64 MiB tenant",
        send: () => post(url, runner, "{ secretValues }"),
        refusedBy: "VALUE_BYTES_PER_REQUEST",
      },
      {
        name: "heaviest allowed: 128 × 64 KiB (8 MiB)",
        send: () =>
          post(url, runner, "query ($n: [String!]) { secretValues(names: $n) }", {
            n: allBig.slice(0, 128),
          }),
        rows: 128,
      },
      {
        name: "heaviest allowed: 1,000 objects of ~8 KiB",
        send: () => post(url, objectsRunner, "{ secretValues }"),
        rows: 1000,
      },
    ];

    const failures = [];
    const lines = [];
    const measure = async (kase, together) => {
      await eventLoopMaxMs(metricsUrl);
      const stopProbe = probeHealth(url);
      await sleep(50);
      const started = performance.now();
      const answers = await Promise.all(Array.from({ length: together }, () => kase.send()));
      const wallMs = performance.now() - started;
      await sleep(20);
      const health = await stopProbe();
      const loopMs = await eventLoopMaxMs(metricsUrl);
      const problems = [];
      for (const answer of answers) {
        const code = answer.body.errors?.[0]?.extensions?.code;
        if (kase.refusedBy) {
          if (
            code !== "BAD_USER_INPUT" ||
            answer.body.errors[0].extensions.limit !== kase.refusedBy
          )
            problems.push(
              `expected a refusal by ${kase.refusedBy}, got ${JSON.stringify(answer.body).slice(0, 200)}`,
            );
        } else if (
          answer.body.errors ||
          Object.keys(answer.body.data.secretValues).length !== kase.rows
        ) {
          problems.push(
            `expected ${kase.rows} values, got ${JSON.stringify(answer.body).slice(0, 200)}`,
          );
        }
      }
      return {
        answerMs: Math.max(...answers.map((a) => a.ms)),
        wallMs,
        bytes: answers[0].bytes,
        message: answers[0].body.errors?.[0]?.message,
        healthMs: health.slowest,
        probes: health.count,
        loopMs,
        rss: rssMiB(child),
        problems,
      };
    };

    for (const kase of cases) {
      for (const together of [1, 3]) {
        let result;
        let slow = true;
        for (let attempt = 0; attempt < 3 && slow; attempt++) {
          result = await measure(kase, together);
          slow = result.healthMs >= HEALTHZ_LIMIT_MS || result.loopMs >= EVENT_LOOP_LIMIT_MS;
        }
        const label = `${kase.name}${together > 1 ? `, ${together} at once` : ""}`;
        lines.push(
          `${label}\n    answer ${result.answerMs.toFixed(0)} ms (${(result.bytes / 1024 / 1024).toFixed(2)} MiB), ` +
            `slowest /healthz ${result.healthMs.toFixed(1)} ms of ${result.probes}, ` +
            `longest event-loop stall ${result.loopMs.toFixed(1)} ms, server RSS ${result.rss.toFixed(0)} MiB` +
            (result.message ? `\n    "${result.message}"` : ""),
        );
        for (const problem of result.problems) failures.push(`${label}: ${problem}`);
        if (result.healthMs >= HEALTHZ_LIMIT_MS)
          failures.push(
            `${label}: /healthz took ${result.healthMs.toFixed(1)} ms (limit ${HEALTHZ_LIMIT_MS})`,
          );
        if (result.loopMs >= EVENT_LOOP_LIMIT_MS)
          failures.push(
            `${label}: the event loop stalled ${result.loopMs.toFixed(1)} ms (limit ${EVENT_LOOP_LIMIT_MS})`,
          );
      }
    }

    console.log(
      `request cost (${HUSH_BIN}; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")})`,
    );
    for (const line of lines) console.log(`  ${line}`);
    if (failures.length > 0) {
      console.log("FAILED:");
      for (const failure of failures) console.log(`  ${failure}`);
      process.exitCode = 1;
    } else {
      console.log("passed");
    }
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    agent.destroy();
    await run.cleanUp();
  }
})();
