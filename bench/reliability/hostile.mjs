// Hostile input: batches of generated requests against a real hush-server (SQLite), sent as raw
// bytes so that nothing is cleaned up on the way: malformed JSON, wrong types, exponential fragment
// spreads, deep and wide queries, alias bombs, invalid UTF-8, NUL bytes, oversized bodies, values
// and names, `__proto__` keys, wrong tokens, odd methods, paths and headers; and, alongside them,
// slow bodies that trickle in a byte at a time.
//
// Passes when: no response is a 5xx or a masked INTERNAL_SERVER_ERROR; the server never crashes;
// every request is answered (a 4xx, or a 200 with GraphQL errors or data), no refusal slower than
// 100 ms (a refusal slower than that is sent again alone, twice, and fails only if it is slow every
// time, so that a busy machine's hiccup is not taken for a defect); the server's memory stays
// bounded; a valid read is answered after each batch; and every slow body is cut off by the
// server (a 408 or a closed connection) within SLOW_BODY_LIMIT_MS.
import { graphql, kill, prepareHush, rssMiB, SET_SECRET, startHush } from "../support/harness.mjs";
import { random } from "./hostile/random.mjs";
import { describe, SLOW_BODY_LIMIT_MS, send, slowBody } from "./hostile/raw-http.mjs";
import { generators } from "./hostile/requests.mjs";

const REJECT_LIMIT_MS = 100;
// The server's caches (compiled documents, statements, tokens) fill during the first batches and
// then stay at their bounds: memory may grow that much, and then by at most this over the second
// half of the run.
const MEMORY_GROWTH_LIMIT_MIB = 100;
const CONCURRENCY = 8;

/** Whether the server refused the request (the 100 ms limit is on refusals, not on writes). */
const rejected = (result) => result.status !== 200 || result.body.includes('"errors"');

/** Runs the suite; resolves with a summary, or rejects naming the failures. */
export async function hostile(run, { batches, perBatch, seed }) {
  const prepared = await prepareHush(run, "hostile");
  const server = await startHush(run, prepared);
  const port = Number(new URL(server.url).port);
  try {
    await graphql(server.url, prepared.admin, SET_SECRET, {
      name: "HOSTILE_0",
      value: "the-value-0",
    });
    const user = await graphql(
      server.url,
      prepared.admin,
      'mutation { createApiToken(input: {name: "hostile-user", role: USER}) { token } }',
    );
    const tokens = {
      admin: prepared.admin,
      runner: prepared.runner,
      user: user.createApiToken.token,
    };
    const kinds = Object.entries(generators(tokens));
    const r = random(seed);
    const failures = [];
    const slow = [];
    const byCategory = new Map(kinds.map(([name]) => [name, { count: 0, statuses: new Map() }]));
    let sent = 0;
    let maxMs = 0;
    const memory = [];

    const slowBodies = Array.from({ length: 4 }, () => slowBody(port, prepared.runner));

    for (let batch = 0; batch < batches; batch++) {
      const requests = Array.from({ length: perBatch }, (_, i) => {
        const [category, make] = kinds[(batch * perBatch + i) % kinds.length];
        return { category, bytes: make(r) };
      });
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < requests.length) {
            const request = requests[next++];
            const result = await send(port, request.bytes);
            sent++;
            const stats = byCategory.get(request.category);
            stats.count++;
            stats.statuses.set(result.status, (stats.statuses.get(result.status) ?? 0) + 1);
            maxMs = Math.max(maxMs, result.ms);
            const problem =
              result.status === undefined
                ? `no response (${result.error})`
                : result.status >= 500
                  ? `HTTP ${result.status}`
                  : result.body.includes("INTERNAL_SERVER_ERROR")
                    ? "a masked INTERNAL_SERVER_ERROR"
                    : undefined;
            if (problem)
              failures.push(`${request.category}: ${problem}: ${describe(request.bytes)}…`);
            else if (result.ms > REJECT_LIMIT_MS && rejected(result)) {
              slow.push({ ...request, ms: result.ms });
            }
          }
        }),
      );
      if (server.child.exitCode !== null || server.child.signalCode !== null) {
        failures.push(
          `the server exited during batch ${batch + 1}: ${server.stderr().slice(-2000)}`,
        );
        break;
      }
      const read = await graphql(server.url, prepared.runner, '{ secretValue(name: "HOSTILE_0") }');
      if (read.secretValue !== "the-value-0")
        failures.push(`batch ${batch + 1}: the valid read answered ${JSON.stringify(read)}`);
      memory.push(rssMiB(server.child));
      if (failures.length > 50) break;
    }

    // Slow requests, again, one at a time: slow every time is a defect, once is the machine.
    const reallySlow = [];
    for (const request of slow) {
      const times = [request.ms];
      for (let i = 0; i < 2 && times.at(-1) > REJECT_LIMIT_MS; i++)
        times.push((await send(port, request.bytes)).ms);
      if (times.at(-1) > REJECT_LIMIT_MS) {
        reallySlow.push(
          `${request.category}: ${times.map((t) => t.toFixed(0)).join(", ")} ms: ${describe(request.bytes)}…`,
        );
      }
    }
    failures.push(...reallySlow.map((s) => `slower than ${REJECT_LIMIT_MS} ms every time: ${s}`));

    const slowResults = await Promise.all(slowBodies);
    for (const result of slowResults) {
      if (result.ms >= SLOW_BODY_LIMIT_MS)
        failures.push(
          `a slow body (${result.sent} bytes sent, a byte every 500 ms) was still held open after ${SLOW_BODY_LIMIT_MS / 1000} s`,
        );
      else if (result.status >= 500)
        failures.push(`a slow body was answered with HTTP ${result.status}`);
    }
    const half = memory[Math.floor((memory.length - 1) / 2)];
    const growth = memory.at(-1) - half;
    if (growth > MEMORY_GROWTH_LIMIT_MIB) {
      failures.push(
        `memory grew by ${growth.toFixed(0)} MiB over the second half of the batches (limit ${MEMORY_GROWTH_LIMIT_MIB} MiB): a leak`,
      );
    }
    if (server.child.exitCode !== null || server.child.signalCode !== null)
      failures.push("the server crashed");

    const lines = [...byCategory].map(
      ([name, s]) =>
        `${name}: ${s.count} (${[...s.statuses].map(([status, n]) => `${status ?? "none"}×${n}`).join(", ")})`,
    );
    const summary = [
      `${sent} requests in ${batches} batches (seed ${seed}), slowest ${maxMs.toFixed(0)} ms, ${slow.length} over ${REJECT_LIMIT_MS} ms once, ${reallySlow.length} every time`,
      `slow bodies cut off after ${slowResults.map((s) => `${(s.ms / 1000).toFixed(1)} s${s.status ? ` (${s.status})` : ""}`).join(", ")}`,
      `server memory after each batch: ${memory.map((m) => m.toFixed(0)).join(", ")} MiB`,
      ...lines,
    ];
    if (failures.length > 0) {
      const timing = (f) => f.startsWith("slower than");
      const shown = [...failures.filter((f) => !timing(f)), ...failures.filter(timing)]
        .slice(0, 20)
        .map((f) => `  - ${f}`);
      throw new Error(`${failures.length} failures:\n${shown.join("\n")}\n${summary.join("\n")}`);
    }
    return summary.join("\n    ");
  } finally {
    await kill(server.child);
  }
}
