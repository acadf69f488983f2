// Soak: 32 keep-alive connections for a while (60 s in the full suite) against a real
// hush-server (SQLite), 90 % value reads with a RUNNER token and 10 % writes with an admin token
// (each a new version of one of 100 secrets). Passes with zero errors: every response a 200 with
// the expected data. Reports requests/s, p50/p99 latency and the server's memory growth.
import { randomBytes } from "node:crypto";
import {
  graphql,
  load,
  prepareHush,
  rssMiB,
  SET_SECRET,
  SET_SECRETS,
  startHush,
  stop,
} from "../support/harness.mjs";

const SECRETS = 100;

/** Runs the soak for `seconds`; resolves with a summary, or rejects on any error. */
export async function soak(run, { seconds }) {
  const prepared = await prepareHush(run, "soak");
  const server = await startHush(run, prepared);
  try {
    const values = Array.from(
      { length: SECRETS },
      (_, i) => `soak_${i}_${randomBytes(8).toString("hex")}`,
    );
    await graphql(server.url, prepared.admin, SET_SECRETS, {
      secrets: values.map((value, i) => ({ name: `SOAK_${i}`, value })),
    });
    // Reads ask for the secrets writes never touch, so every read has one right answer.
    const reads = Array.from({ length: 9 }, (_, i) => ({
      body: JSON.stringify({ query: `{ secretValue(name: "SOAK_${i}") }` }),
      headers: { authorization: `Bearer ${prepared.runner}` },
    }));
    let writes = 0;
    const write = {
      body: () =>
        JSON.stringify({
          query: SET_SECRET,
          variables: { name: `SOAK_${10 + (writes++ % (SECRETS - 10))}`, value: `w_${writes}` },
        }),
      headers: { authorization: `Bearer ${prepared.admin}` },
    };
    const expected = new Set([
      ...values.slice(0, 9).map((value) => JSON.stringify({ data: { secretValue: value } })),
    ]);
    const verify = (body) =>
      expected.has(body) || body.startsWith('{"data":{"setSecret":{"success":true');

    const before = rssMiB(server.child);
    const result = await load({
      url: server.url,
      warmupMs: 0,
      durationMs: seconds * 1000,
      requests: [...reads, write],
      verify,
    });
    const after = rssMiB(server.child);
    const summary = `${seconds} s, 32 connections, 90 % reads / 10 % writes: ${result.total} requests (${Math.round(result.rps)}/s), p50 ${result.p50} ms, p99 ${result.p99} ms; server memory ${before.toFixed(0)} → ${after.toFixed(0)} MiB (${after - before >= 0 ? "+" : ""}${(after - before).toFixed(0)} MiB)`;
    if (result.errors > 0) throw new Error(`${result.detail}\n  (${summary})`);
    if (server.child.exitCode !== null) throw new Error(`the server exited\n  (${summary})`);
    return summary;
  } finally {
    await stop(server.child);
  }
}
