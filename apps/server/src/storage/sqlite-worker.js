// The SQLite write worker (see SqliteWorkerDialect): one better-sqlite3 connection in a worker
// thread, so that a commit waiting for the disk does not stall the event loop.
//
// JavaScript checked by TypeScript (checkJs, types in JSDoc), not TypeScript: Node 20 runs a
// worker thread without the hooks that let tests run the TypeScript sources, so the worker must
// be a file Node runs as it is, from the sources and from the build alike.
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { LRUCache } from "lru-cache";

/**
 * @import { WorkerError, WorkerPlanOutcome, WorkerPlans, WorkerReply, WorkerRequest, WorkerSettings, WorkerStatement } from "./sqlite-worker-protocol.js"
 */

if (parentPort === null) throw new Error("The SQLite worker runs in a worker thread only.");
const port = parentPort;
const settings = /** @type {WorkerSettings} */ (workerData);
/** @param {WorkerReply} message */
const reply = (message) => port.postMessage(message);

/**
 * @param {unknown} error
 * @returns {WorkerError}
 */
function describe(error) {
  if (error instanceof Error) {
    const code = /** @type {{ code?: unknown }} */ (error).code;
    return {
      name: error.name,
      message: error.message,
      code: typeof code === "string" ? code : undefined,
    };
  }
  return { message: String(error) };
}

/** @type {Database.Database | undefined} */
let db;
try {
  db = new Database(settings.file);
  for (const pragma of settings.pragmas) db.pragma(pragma);
  reply({ ready: true });
} catch (error) {
  reply({ failed: describe(error) });
}

// The connection's own setting (FULL), restored after each commit of groups.
const synchronous = db === undefined ? undefined : db.pragma("synchronous", { simple: true });

/** @returns {Database.Database} */
function database() {
  if (db === undefined) throw new Error("The database did not open.");
  return db;
}

// Prepared statements are reused, least recently used out first.
/** @type {LRUCache<string, Database.Statement>} */
const statements = new LRUCache({ max: settings.maxStatements });

/**
 * @param {string} sql
 * @returns {Database.Statement}
 */
function prepare(sql) {
  let statement = statements.get(sql);
  if (statement === undefined) {
    statement = database().prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

// Blobs arrive as Uint8Array (structured clone drops the Buffer class); SQLite binds Buffers.
/** @param {unknown} value */
const bindable = (value) =>
  value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value;
/** @param {WorkerStatement} statement */
const run = ({ sql, parameters }) => prepare(sql).run(parameters.map(bindable));
const inTransaction = () => db?.inTransaction ?? false;

// Groups received and not yet committed, and whether a commit of them is scheduled.
/** @type {{ id: number, group: readonly WorkerStatement[] }[]} */
let groups = [];
let scheduled = false;

function schedule() {
  if (!scheduled && groups.length > 0) {
    scheduled = true;
    // After the messages already received: they join this commit.
    setImmediate(commitGroups);
  }
}

function commitGroups() {
  scheduled = false;
  // A transaction opened by other messages is theirs: wait for its end.
  if (groups.length === 0 || inTransaction()) return;
  const batch = groups;
  groups = [];
  // Groups (audit events of reads and refusals) are committed before their callers go on, but
  // do not wait for the disk: they survive a crash of the process, not a power loss.
  // Prepared once each (db.pragma() prepares its statement on every call).
  prepare("pragma synchronous = NORMAL").run();
  try {
    commitBatch(batch);
  } finally {
    prepare(`pragma synchronous = ${synchronous}`).run();
  }
}

/** @param {{ id: number, group: readonly WorkerStatement[] }[]} batch */
function commitBatch(batch) {
  try {
    prepare("begin immediate").run();
    for (const message of batch) message.group.forEach(run);
    prepare("commit").run();
    reply({ committed: batch.map((message) => message.id) });
    return;
  } catch {
    if (inTransaction()) prepare("rollback").run();
  }
  // Something failed: each group again in a transaction of its own, so that it fails alone.
  for (const message of batch) {
    try {
      prepare("begin immediate").run();
      message.group.forEach(run);
      prepare("commit").run();
      reply({ committed: [message.id] });
    } catch (error) {
      if (inTransaction()) prepare("rollback").run();
      reply({ id: message.id, error: describe(error) });
    }
  }
}

// The SQL of plans' statements by id (see WorkerPlans); a plan's SQL comes from a fixed set.
/** @type {Map<number, string>} */
const planSql = new Map();

/** @typedef {{ sql: string, parameters: unknown[] }[]} Plan the guard first */

/**
 * @param {WorkerPlans} message
 * @returns {Plan[]}
 */
function decodePlans(message) {
  for (const [id, sql] of message.sql) planSql.set(id, sql);
  const { plans: flat, blobs, blobLengths } = message;
  let blob = 0;
  let blobAt = blobs.byteOffset;
  /** @param {unknown} value */
  const parameter = (value) => {
    if (value !== undefined) return value;
    const length = /** @type {number} */ (blobLengths[blob++]);
    const bytes = Buffer.from(blobs.buffer, blobAt, length);
    blobAt += length;
    return bytes;
  };
  /** @type {Plan[]} */
  const plans = [];
  let at = 0;
  while (at < flat.length) {
    const count = /** @type {number} */ (flat[at++]);
    /** @type {Plan} */
    const plan = [];
    for (let i = 0; i < count; i++) {
      const sql = planSql.get(/** @type {number} */ (flat[at++]));
      const length = /** @type {number} */ (flat[at++]);
      if (sql === undefined) throw new Error("A plan names SQL the worker was never sent.");
      plan.push({ sql, parameters: flat.slice(at, at + length).map(parameter) });
      at += length;
    }
    plans.push(plan);
  }
  return plans;
}

/**
 * @param {Plan} plan
 * @returns {WorkerPlanOutcome}
 */
function applyPlan([guard, ...writes]) {
  // A guard that changes no row: another write got there first, and nothing was written.
  if (guard === undefined || run(guard).changes === 0) return "lost";
  writes.forEach(run);
  return "committed";
}

/**
 * @param {Plan[]} plans
 * @returns {WorkerPlanOutcome[]}
 */
function runPlans(plans) {
  try {
    prepare("begin immediate").run();
    const outcomes = plans.map(applyPlan);
    prepare("commit").run();
    return outcomes;
  } catch (error) {
    if (inTransaction()) prepare("rollback").run();
    if (plans.length === 1) return [{ error: describe(error) }];
  }
  // Something failed: each plan again in a transaction of its own, so that it fails alone.
  return plans.map((plan) => {
    try {
      prepare("begin immediate").run();
      const outcome = applyPlan(plan);
      prepare("commit").run();
      return outcome;
    } catch (error) {
      if (inTransaction()) prepare("rollback").run();
      return { error: describe(error) };
    }
  });
}

port.on("message", (/** @type {WorkerRequest} */ message) => {
  if (message === "close") {
    commitGroups();
    statements.clear();
    db?.close();
    port.close();
    return;
  }
  if ("group" in message) {
    groups.push(message);
    schedule();
    return;
  }
  // Groups received before this statement are committed before it runs.
  commitGroups();
  if ("plans" in message) {
    try {
      reply({ id: message.id, outcomes: runPlans(decodePlans(message)) });
    } catch (error) {
      reply({ id: message.id, error: describe(error) });
    }
    schedule();
    return;
  }
  const { id, sql, parameters } = message;
  try {
    const statement = prepare(sql);
    const values = parameters.map(bindable);
    if (statement.reader) {
      reply({ id, rows: /** @type {Record<string, unknown>[]} */ (statement.all(values)) });
    } else {
      const { changes, lastInsertRowid } = statement.run(values);
      reply({ id, changes, lastInsertRowid });
    }
  } catch (error) {
    reply({ id, error: describe(error) });
  }
  // A transaction may just have ended: groups held back for it can go now.
  schedule();
});
