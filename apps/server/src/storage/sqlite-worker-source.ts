/**
 * The code of the SQLite write worker (see `SqliteWorkerDialect`), as text: a worker started
 * from text runs the same whether the server runs from its build or from its TypeScript sources
 * (tests). It uses no `import` or `require`, so it runs as a CommonJS script or an ES module alike.
 *
 * workerData: `{ file, driver, pragmas, maxStatements }` (`driver` is better-sqlite3's resolved
 * entry point). Messages in:
 * - `{ id, sql, parameters }`: one statement, run at once, in order;
 * - `{ id, group: [{ sql, parameters }…] }`: statements that need no transaction of their own.
 *   Groups that arrive while the worker is busy (a commit waiting for the disk) are committed
 *   together, in one transaction, after any statement received before them and outside any
 *   transaction the other messages opened. Their commits do not wait for the disk
 *   (`synchronous = NORMAL` in WAL mode): they survive a crash of the process, not a power loss.
 *   Everything else commits with the connection's own setting;
 * - `"close"`.
 * Messages out: `{ ready }` or `{ failed }` once; then `{ id, rows }`, `{ id, changes,
 * lastInsertRowid }` or `{ id, error: { name, message, code } }` for a statement;
 * `{ committed: [id…] }` for groups, or `{ id, error }` for a group that failed on its own.
 */
export const SQLITE_WORKER_SOURCE = `
"use strict";
const { parentPort, workerData } = process.getBuiltinModule("node:worker_threads");
const { createRequire } = process.getBuiltinModule("node:module");
const describe = (error) => ({
  name: error && error.name,
  message: error && error.message !== undefined ? error.message : String(error),
  code: error && error.code,
});
let db;
try {
  const Database = createRequire(workerData.driver)(workerData.driver);
  db = new Database(workerData.file);
  for (const pragma of workerData.pragmas) db.pragma(pragma);
  parentPort.postMessage({ ready: true });
} catch (error) {
  parentPort.postMessage({ failed: describe(error) });
}
// The connection's own setting (FULL), restored after each commit of groups.
const synchronous = db === undefined ? undefined : db.pragma("synchronous", { simple: true });
// Prepared statements are reused, least recently used out first.
const statements = new Map();
function prepare(sql) {
  let statement = statements.get(sql);
  if (statement !== undefined) {
    statements.delete(sql);
  } else {
    statement = db.prepare(sql);
    if (statements.size >= workerData.maxStatements) {
      statements.delete(statements.keys().next().value);
    }
  }
  statements.set(sql, statement);
  return statement;
}
// Blobs arrive as Uint8Array (structured clone drops the Buffer class); SQLite binds Buffers.
const bindable = (value) =>
  value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value;
const run = ({ sql, parameters }) => prepare(sql).run(parameters.map(bindable));

// Groups received and not yet committed, and whether a commit of them is scheduled.
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
  if (groups.length === 0 || db.inTransaction) return;
  const batch = groups;
  groups = [];
  db.pragma("synchronous = NORMAL");
  try {
    commitBatch(batch);
  } finally {
    db.pragma(\`synchronous = \${synchronous}\`);
  }
}
function commitBatch(batch) {
  try {
    prepare("begin immediate").run();
    for (const message of batch) message.group.forEach(run);
    prepare("commit").run();
    parentPort.postMessage({ committed: batch.map((message) => message.id) });
    return;
  } catch {
    if (db.inTransaction) prepare("rollback").run();
  }
  // Something failed: each group again in a transaction of its own, so that it fails alone.
  for (const message of batch) {
    try {
      prepare("begin immediate").run();
      message.group.forEach(run);
      prepare("commit").run();
      parentPort.postMessage({ committed: [message.id] });
    } catch (error) {
      if (db.inTransaction) prepare("rollback").run();
      parentPort.postMessage({ id: message.id, error: describe(error) });
    }
  }
}

parentPort.on("message", (message) => {
  if (message === "close") {
    commitGroups();
    statements.clear();
    if (db !== undefined) db.close();
    parentPort.close();
    return;
  }
  if (message.group !== undefined) {
    groups.push(message);
    schedule();
    return;
  }
  // Groups received before this statement are committed before it runs.
  commitGroups();
  const { id, sql, parameters } = message;
  try {
    const statement = prepare(sql);
    const values = parameters.map(bindable);
    if (statement.reader) {
      parentPort.postMessage({ id, rows: statement.all(values) });
    } else {
      const { changes, lastInsertRowid } = statement.run(values);
      parentPort.postMessage({ id, changes, lastInsertRowid });
    }
  } catch (error) {
    parentPort.postMessage({ id, error: describe(error) });
  }
  // A transaction may just have ended: groups held back for it can go now.
  schedule();
});
`;
