// Crash durability: writers at full speed (16 connections setting new secrets, 4 reading back
// what was acknowledged, with a RUNNER token) while the server is SIGKILLed at a random moment,
// round after round, on one data folder or database. After each restart:
//   - every acknowledged write reads back with its value;
//   - every acknowledged write has its SET_SECRET event, and every acknowledged value read its
//     READ_SECRET_VALUE event (at least as many events as reads answered, per secret);
//   - a write that was in flight when the server died is either absent or has the value sent:
//     never another value;
// and at the end every write of every round is read back once more, and SQLite's
// `PRAGMA integrity_check` says ok.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import { graphql, kill, prepareHush, SET_SECRET, sleep, startHush } from "../support/harness.mjs";

const WRITERS = 16;
const READERS = 4;
const CHUNK = 1000;

async function call(url, token, query, variables) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() };
}

/** The stored values of `names`, in chunks; names that do not exist are left out. */
async function valuesOf(url, token, names) {
  const found = new Map();
  const existing = new Set((await graphql(url, token, "{ secretNames }")).secretNames);
  const present = names.filter((name) => existing.has(name));
  for (let i = 0; i < present.length; i += CHUNK) {
    const chunk = present.slice(i, i + CHUNK);
    const data = await graphql(url, token, "query($n: [String!]!) { secretValues(names: $n) }", {
      n: chunk,
    });
    for (const name of chunk) found.set(name, data.secretValues[name]);
  }
  return found;
}

/** Audit events since `since`, newest first, page by page. */
async function auditSince(url, token, since) {
  const events = [];
  for (let offset = 0; ; offset += CHUNK) {
    const page = (
      await graphql(
        url,
        token,
        `{ auditEvents(limit: ${CHUNK}, offset: ${offset}) { action secretName outcome actor at count } }`,
      )
    ).auditEvents;
    events.push(...page.filter((event) => Date.parse(event.at) >= since));
    if (page.length < CHUNK || Date.parse(page.at(-1).at) < since) return events;
  }
}

/** Runs `rounds` crash rounds; resolves with a summary, or rejects naming what was lost. */
export async function crash(run, { rounds, label, databaseUrl }) {
  const prepared = await prepareHush(run, `crash-${label}`, databaseUrl);
  const written = new Map();
  const failures = [];
  let acknowledged = 0;
  let acknowledgedReads = 0;
  let inFlightSeen = 0;
  let pending;

  async function verify(url, state) {
    const events = await auditSince(url, prepared.admin, state.since);
    const setEvents = new Set();
    const readEvents = new Map();
    for (const event of events) {
      if (event.outcome !== "SUCCESS") continue;
      if (event.action === "SET_SECRET") setEvents.add(event.secretName);
      // Repeated reads by one token within a minute are counted on one event (`count`).
      if (event.action === "READ_SECRET_VALUE" && event.actor === "bench") {
        readEvents.set(event.secretName, (readEvents.get(event.secretName) ?? 0) + event.count);
      }
    }
    const missingSets = state.writes.filter((name) => !setEvents.has(name));
    if (missingSets.length > 0) {
      failures.push(
        `round ${state.round}: ${missingSets.length} acknowledged writes have no SET_SECRET event (${missingSets.slice(0, 3).join(", ")}…)`,
      );
    }
    for (const [name, count] of state.reads) {
      if ((readEvents.get(name) ?? 0) < count) {
        failures.push(
          `round ${state.round}: ${name} was read ${count} times, with ${readEvents.get(name) ?? 0} counted in READ_SECRET_VALUE events`,
        );
      }
    }
    const stored = await valuesOf(url, prepared.admin, [...state.writes, ...state.inFlight.keys()]);
    const lost = state.writes.filter((name) => stored.get(name) !== written.get(name));
    if (lost.length > 0) {
      failures.push(
        `round ${state.round}: ${lost.length} of ${state.writes.length} acknowledged writes are lost or wrong (${lost.slice(0, 3).join(", ")}…)`,
      );
    }
    for (const [name, value] of state.inFlight) {
      if (!stored.has(name)) continue;
      inFlightSeen++;
      if (stored.get(name) !== value)
        failures.push(`round ${state.round}: ${name}, in flight at the crash, holds another value`);
    }
  }

  for (let round = 1; round <= rounds + 1; round++) {
    const server = await startHush(run, prepared);
    if (pending) await verify(server.url, pending);
    if (round > rounds) {
      const all = await valuesOf(server.url, prepared.admin, [...written.keys()]);
      const lost = [...written].filter(([name, value]) => all.get(name) !== value);
      if (lost.length > 0)
        failures.push(`at the end, ${lost.length} acknowledged writes are lost or wrong`);
      await kill(server.child);
      break;
    }

    const state = {
      round,
      since: Date.now() - 5,
      writes: [],
      reads: new Map(),
      inFlight: new Map(),
    };
    let dying = false;
    const unexpected = (what) => {
      if (!dying) failures.push(`round ${round}: ${what}`);
    };
    const writer = async (w) => {
      for (let k = 0; !dying; k++) {
        const name = `CRASH_${round}_${w}_${k}`;
        const value = `v_${randomBytes(8).toString("hex")}`;
        state.inFlight.set(name, value);
        try {
          const { status, body } = await call(server.url, prepared.admin, SET_SECRET, {
            name,
            value,
          });
          if (body.data?.setSecret?.success === true) {
            state.inFlight.delete(name);
            written.set(name, value);
            state.writes.push(name);
            acknowledged++;
          } else
            unexpected(`a write answered HTTP ${status} ${JSON.stringify(body).slice(0, 200)}`);
        } catch (error) {
          unexpected(`a write failed before the crash: ${error.message}`);
          return;
        }
      }
    };
    const reader = async () => {
      while (!dying) {
        if (state.writes.length === 0) {
          await sleep(2);
          continue;
        }
        const name = state.writes[Math.floor(Math.random() * state.writes.length)];
        try {
          const { body } = await call(
            server.url,
            prepared.runner,
            "query($n: String!) { secretValue(name: $n) }",
            { n: name },
          );
          if (body.data?.secretValue === written.get(name)) {
            state.reads.set(name, (state.reads.get(name) ?? 0) + 1);
            acknowledgedReads++;
          } else unexpected(`a read of ${name} answered ${JSON.stringify(body).slice(0, 200)}`);
        } catch (error) {
          unexpected(`a read failed before the crash: ${error.message}`);
          return;
        }
      }
    };
    const loops = [
      ...Array.from({ length: WRITERS }, (_, w) => writer(w)),
      ...Array.from({ length: READERS }, () => reader()),
    ];
    // A random moment once writes flow: after 1 to 200 acknowledged writes, then 0 to 300 ms.
    const after = 1 + Math.floor(Math.random() * 200);
    for (let waited = 0; state.writes.length < after && waited < 30_000; waited += 5)
      await sleep(5);
    await sleep(Math.random() * 300);
    dying = true;
    await kill(server.child);
    await Promise.all(loops);
    pending = state;
    if (failures.length > 20) break;
  }

  if (!databaseUrl) {
    const db = new Database(join(prepared.dataDir, "hush.db"), { readonly: true });
    try {
      const check = db.pragma("integrity_check", { simple: true });
      if (check !== "ok") failures.push(`PRAGMA integrity_check: ${check}`);
    } finally {
      db.close();
    }
  }
  const summary = `${rounds} SIGKILLs, ${acknowledged} acknowledged writes and ${acknowledgedReads} acknowledged reads, all found with their values and audit events; ${inFlightSeen} writes in flight at a crash were committed, with their values`;
  if (failures.length > 0)
    throw new Error(
      `${failures.slice(0, 20).join("\n  ")}\n  (${summary.replace("all found", "checked")})`,
    );
  return summary;
}
