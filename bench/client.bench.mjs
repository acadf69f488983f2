// Figure 4: the client, @hush/core's `Secret`, against a hush-server on this machine (SQLite, a
// RUNNER token, no client-side caching).
//   - `Secret.getMany` of 100 names against 100 sequential `get`s: ≥ 30× faster.
//   - A warm `get`'s median time against a bare `fetch` round trip to a bare node:http server
//     returning fixed JSON: ≤ 1.5×. Samples of the two alternate, so drift hits both alike.
import { randomBytes } from "node:crypto";
import { configure, Secret } from "@hush/core";
import { FIXED_BODY } from "./support/baseline-servers.mjs";
import {
  graphql,
  main,
  prepareHush,
  SET_SECRETS,
  spread,
  startBaseline,
  startHush,
  stop,
} from "./support/harness.mjs";
import { figure, RUNS } from "./support/results.mjs";

const NAMES = Array.from({ length: 100 }, (_, i) => `BENCH_CLIENT_${i}`);

async function time(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

await main("hush-bench-client", async (run) => {
  const prepared = await prepareHush(run, "sqlite");
  const server = await startHush(run, prepared);
  const baseline = await startBaseline(run, "node-http");
  const values = NAMES.map((name) => `${name}_${randomBytes(12).toString("hex")}`);
  await graphql(server.url, prepared.admin, SET_SECRETS, {
    secrets: NAMES.map((name, i) => ({ name, value: values[i] })),
  });
  configure({
    env: {
      HUSH__CLOUD__ENDPOINT: server.url,
      HUSH__CLOUD__API_KEY: prepared.runner,
      HUSH__CLOUD__USE_LOCAL_SECRETS: "false",
    },
    homeDir: run.tempDir,
    cacheTtlMs: 0,
  });
  const many = await Secret.getMany(NAMES);
  if (NAMES.some((name, i) => many[name] !== values[i])) throw new Error("getMany: wrong values");

  const sequential = async () => {
    for (let i = 0; i < NAMES.length; i++) {
      if ((await new Secret(NAMES[i]).get()) !== values[i]) throw new Error("get: wrong value");
    }
  };
  const bareFetch = async () => {
    const response = await fetch(`${baseline.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"query":"{ ok }"}',
    });
    if ((await response.text()) !== FIXED_BODY) throw new Error("baseline: wrong body");
  };
  const oneGet = async () => {
    if ((await new Secret(NAMES[0]).get()) !== values[0]) throw new Error("get: wrong value");
  };

  // Warm-up: connections, JIT, the server's caches.
  for (let i = 0; i < 3; i++) await sequential();
  for (let i = 0; i < 200; i++) await bareFetch();

  const manyRatios = [];
  const getRatios = [];
  let last;
  for (let round = 1; round <= RUNS; round++) {
    const manyTimes = [];
    for (let i = 0; i < 30; i++) manyTimes.push(await time(() => Secret.getMany(NAMES)));
    const sequentialTimes = [];
    for (let i = 0; i < 5; i++) sequentialTimes.push(await time(sequential));
    const getTimes = [];
    const fetchTimes = [];
    for (let i = 0; i < 300; i++) {
      getTimes.push(await time(oneGet));
      fetchTimes.push(await time(bareFetch));
    }
    last = {
      many: spread(manyTimes).median,
      sequential: spread(sequentialTimes).median,
      get: spread(getTimes).median,
      fetch: spread(fetchTimes).median,
    };
    manyRatios.push(last.sequential / last.many);
    getRatios.push(last.get / last.fetch);
    console.log(
      `  run ${round}: getMany(100) ${last.many.toFixed(2)} ms, 100 sequential gets ${last.sequential.toFixed(1)} ms; warm get p50 ${last.get.toFixed(3)} ms, bare fetch p50 ${last.fetch.toFixed(3)} ms`,
    );
  }
  await stop(server.child);
  await stop(baseline.child);

  figure({
    id: "4",
    title: "100 sequential Secret.get / one Secret.getMany of 100 names",
    ratios: manyRatios,
    target: { atLeast: 30 },
    note: `last run: medians ${last.sequential.toFixed(1)} ms vs ${last.many.toFixed(2)} ms`,
  });
  figure({
    id: "4",
    title: "warm Secret.get p50 / bare fetch round trip p50",
    ratios: getRatios,
    target: { atMost: 1.5 },
    note: `last run: ${last.get.toFixed(3)} ms vs ${last.fetch.toFixed(3)} ms`,
  });
});
