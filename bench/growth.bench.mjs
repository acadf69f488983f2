// Figure 6: value reads as the data grows. Four hush-servers (SQLite, log level warn) run side by
// side, one on each data folder: 10 secrets in one tenant (the baseline), 1,000 secrets, 100,000
// secrets, and 100 tenants of 10 secrets each (every connection reads with another tenant's RUNNER
// token). Each run measures the four in turn; each figure is reads/s against the baseline's in the
// same run: flat within 20 % (≥ 0.8). p99 latencies are reported with each, and each server's CPU
// per request with its ratio to the baseline's (read from /proc/PID/stat, see support/cpu.mjs).
import { randomBytes } from "node:crypto";
import { openService } from "@hush/server";
import { formatMicros } from "./support/cpu.mjs";
import { load, main, prepareHush, startHush, stop } from "./support/harness.mjs";
import { figure, RUNS, reference, SECONDS } from "./support/results.mjs";

const CHUNK = 1000;
const query = (name) => JSON.stringify({ query: `query { secretValue(name: "${name}") }` });
const value = (tenant, i) => `v_${tenant}_${i}_${randomBytes(8).toString("hex")}`;

/** Sets `count` secrets GROWTH_0… in the tenant of `token`, in transactions of CHUNK. */
async function fill(service, token, count, tenant) {
  const caller = await service.authenticate(token);
  const values = [];
  for (let start = 0; start < count; start += CHUNK) {
    const entries = [];
    for (let i = start; i < Math.min(count, start + CHUNK); i++) {
      values.push(value(tenant, i));
      entries.push({ name: `GROWTH_${i}`, value: values[i] });
    }
    await service.setSecrets(caller, entries);
  }
  return values;
}

await main("hush-bench-growth", async (run) => {
  const targets = [];
  for (const count of [10, 1000, 100_000]) {
    const prepared = await prepareHush(run, `secrets-${count}`);
    const service = await openService({ dataDir: prepared.dataDir });
    const started = performance.now();
    const values = await fill(service, prepared.admin, count, "default");
    await service.close();
    console.log(
      `  ${count} secrets stored in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    // Reads spread over ten secrets across the whole range of names.
    const picks = Array.from({ length: 10 }, (_, i) => Math.floor((i * count) / 10));
    targets.push({
      label: `${count.toLocaleString("en")} secrets, 1 tenant`,
      prepared,
      requests: picks.map((i) => ({
        body: query(`GROWTH_${i}`),
        headers: { authorization: `Bearer ${prepared.runner}` },
      })),
      expected: new Set(picks.map((i) => JSON.stringify({ data: { secretValue: values[i] } }))),
    });
  }

  const prepared = await prepareHush(run, "tenants-100");
  const service = await openService({ dataDir: prepared.dataDir });
  const requests = [];
  const expected = new Set();
  for (let t = 0; t < 100; t++) {
    const tenant = t === 0 ? "default" : `tenant-${t}`;
    const admin = t === 0 ? prepared.admin : (await service.createTenant(tenant)).token;
    const runner =
      t === 0
        ? prepared.runner
        : (await service.createTokenOffline({ tenantName: tenant, role: "RUNNER", name: "bench" }))
            .token;
    const values = await fill(service, admin, 10, tenant);
    requests.push({
      body: query(`GROWTH_${t % 10}`),
      headers: { authorization: `Bearer ${runner}` },
    });
    expected.add(JSON.stringify({ data: { secretValue: values[t % 10] } }));
  }
  await service.close();
  targets.push({ label: "100 tenants of 10 secrets", prepared, requests, expected });

  for (const target of targets) target.server = await startHush(run, target.prepared);
  const [base, ...others] = targets;
  const ratios = new Map(others.map((t) => [t, []]));
  const cpuRatios = new Map(others.map((t) => [t, []]));
  const runs = new Map(targets.map((t) => [t, []]));
  const last = new Map();
  for (let round = 1; round <= RUNS; round++) {
    const figures = [];
    for (const target of targets) {
      const result = await load({
        url: target.server.url,
        pid: target.server.child.pid,
        durationMs: SECONDS * 1000,
        requests: target.requests,
        verify: (body) => target.expected.has(body),
      });
      if (result.errors > 0) throw new Error(`${target.label}: ${result.detail}`);
      last.set(target, result);
      runs.get(target).push(result);
      figures.push(
        `${target.label} ${Math.round(result.rps)} req/s CPU ${formatMicros(result.cpu)} µs/request p99 ${result.p99} ms`,
      );
    }
    for (const target of others) {
      ratios.get(target).push(last.get(target).rps / last.get(base).rps);
      cpuRatios.get(target).push(last.get(target).cpu / last.get(base).cpu);
    }
    console.log(`  run ${round}: ${figures.join("; ")}`);
  }
  for (const target of targets) await stop(target.server.child);

  reference({
    id: "6 (ref)",
    title: "value reads with 10 secrets, 1 tenant",
    runs: runs.get(base),
  });
  const b = last.get(base);
  for (const target of others) {
    const r = last.get(target);
    figure({
      id: "6",
      title: `value reads with ${target.label} / with 10 secrets, 1 tenant`,
      ratios: ratios.get(target),
      target: { atLeast: 0.8 },
      note: `last run: ${Math.round(r.rps)} vs ${Math.round(b.rps)} req/s; p99 ${r.p99} ms vs ${b.p99} ms`,
      cpu: { runs: runs.get(target), ratios: cpuRatios.get(target) },
    });
  }
});
