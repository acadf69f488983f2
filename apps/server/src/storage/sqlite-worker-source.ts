/**
 * The code of the SQLite write worker (see `SqliteWorkerDialect`), as text: a worker started
 * from text runs the same whether the server runs from its build or from its TypeScript sources
 * (tests). It uses no `import` or `require`, so it runs as a CommonJS script or an ES module alike.
 *
 * workerData: `{ file, driver, pragmas, maxStatements }` (`driver` is better-sqlite3's resolved
 * entry point). Messages in: `{ id, sql, parameters }`, or `"close"`. Messages out: `{ ready }` or
 * `{ failed }` once, then for each query `{ id, rows }`, `{ id, changes, lastInsertRowid }` or
 * `{ id, error: { name, message, code } }`.
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
parentPort.on("message", (message) => {
  if (message === "close") {
    statements.clear();
    if (db !== undefined) db.close();
    parentPort.close();
    return;
  }
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
});
`;
