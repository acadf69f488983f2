import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import { SQLITE_WORKER_SOURCE } from "./sqlite-worker-source.js";

/** Settings of a {@link SqliteWorkerDialect}. */
export interface SqliteWorkerDialectConfig {
  /** The database file. */
  readonly file: string;
  /** Pragmas run on the worker's connection when it opens, e.g. `"synchronous = FULL"`. */
  readonly pragmas: readonly string[];
  /**
   * Prepared statements the worker keeps.
   * @default 200
   */
  readonly maxStatements?: number;
}

type Reply =
  | { id: number; rows: Record<string, unknown>[] }
  | { id: number; changes: number; lastInsertRowid: number | bigint }
  | { id: number; error: { name?: string; message: string; code?: string } };

interface Waiting {
  resolve(result: QueryResult<unknown>): void;
  reject(error: unknown): void;
}

/** An error from SQLite in the worker, with the `code` better-sqlite3 gave it. */
export class SqliteWorkerError extends Error {
  readonly code: string | undefined;

  constructor(message: string, code: string | undefined, name = "SqliteError") {
    super(message);
    this.name = name;
    this.code = code;
  }
}

// Structured clone turns Buffers into plain Uint8Arrays; callers expect what better-sqlite3 gives.
function asBuffers(row: Record<string, unknown>): Record<string, unknown> {
  for (const key in row) {
    const value = row[key];
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
      row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
  return row;
}

/** The one connection to the worker; queries run there one after another, in order. */
class WorkerConnection implements DatabaseConnection {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 0;
  #broken: Error | undefined;

  constructor(worker: Worker) {
    this.#worker = worker;
    worker.on("message", (reply: Reply) => this.#settle(reply));
    worker.on("error", (error) => this.#fail(error));
    worker.on("exit", (code) => this.#fail(new Error(`The SQLite worker exited (${code}).`)));
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    const id = this.#nextId++;
    return new Promise<QueryResult<R>>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as Waiting["resolve"], reject });
      // The worker keeps the process alive only while a query is waiting for it.
      if (this.#waiting.size === 1) this.#worker.ref();
      this.#worker.postMessage({ id, sql: query.sql, parameters: query.parameters });
    });
  }

  // biome-ignore lint/correctness/useYield: streaming is not supported; it fails at once.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("The SQLite worker connection does not stream query results.");
  }

  #settle(reply: Reply): void {
    const waiting = this.#waiting.get(reply.id);
    if (waiting === undefined) return;
    this.#waiting.delete(reply.id);
    if (this.#waiting.size === 0) this.#worker.unref();
    if ("error" in reply) {
      waiting.reject(
        new SqliteWorkerError(reply.error.message, reply.error.code, reply.error.name),
      );
    } else if ("rows" in reply) {
      waiting.resolve({ rows: reply.rows.map(asBuffers) });
    } else {
      waiting.resolve({
        numAffectedRows: BigInt(reply.changes),
        insertId: BigInt(reply.lastInsertRowid),
        rows: [],
      });
    }
  }

  #fail(error: Error): void {
    this.#broken ??= error;
    for (const waiting of this.#waiting.values()) waiting.reject(error);
    this.#waiting.clear();
  }
}

class SqliteWorkerDriver implements Driver {
  readonly #config: SqliteWorkerDialectConfig;
  #worker: Worker | undefined;
  #connection: WorkerConnection | undefined;
  // SQLite has one connection here: a caller holds it until it releases it.
  #held: Promise<void> | undefined;
  #release: (() => void) | undefined;

  constructor(config: SqliteWorkerDialectConfig) {
    this.#config = config;
  }

  async init(): Promise<void> {
    const worker = new Worker(SQLITE_WORKER_SOURCE, {
      eval: true,
      workerData: {
        file: this.#config.file,
        driver: createRequire(import.meta.url).resolve("better-sqlite3"),
        pragmas: this.#config.pragmas,
        maxStatements: this.#config.maxStatements ?? 200,
      },
    });
    this.#worker = worker;
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number) =>
        reject(new Error(`The SQLite worker exited (${code}) before opening the database.`));
      worker.once("error", reject);
      worker.once("exit", onExit);
      worker.once(
        "message",
        (message: { ready?: true; failed?: { message: string; code?: string } }) => {
          worker.off("error", reject);
          worker.off("exit", onExit);
          if (message.failed === undefined) resolve();
          else reject(new SqliteWorkerError(message.failed.message, message.failed.code));
        },
      );
    }).catch(async (error) => {
      await worker.terminate();
      throw error;
    });
    worker.unref();
    this.#connection = new WorkerConnection(worker);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    while (this.#held !== undefined) await this.#held;
    this.#held = new Promise((resolve) => {
      this.#release = resolve;
    });
    return this.#connection!;
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#held = undefined;
    this.#release = undefined;
    release?.();
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin"));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async destroy(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#worker = undefined;
    const exited = new Promise((resolve) => worker.once("exit", resolve));
    worker.ref();
    worker.postMessage("close");
    await exited;
  }
}

/**
 * Kysely over a better-sqlite3 connection that lives in a worker thread. better-sqlite3 runs
 * every statement synchronously; a commit with `synchronous = FULL` waits for the disk (an fsync),
 * and on the event loop that wait stalls every request. Writes go through this connection
 * instead, so requests keep being served (and their writes gather into the next group commit)
 * while a commit waits for the disk. Each query costs a message round trip, so reads stay on the
 * event loop's own connection.
 */
export class SqliteWorkerDialect implements Dialect {
  readonly #config: SqliteWorkerDialectConfig;

  constructor(config: SqliteWorkerDialectConfig) {
    this.#config = config;
  }

  createDriver(): Driver {
    return new SqliteWorkerDriver(this.#config);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  // biome-ignore lint/suspicious/noExplicitAny: Kysely's own dialects take Kysely<any> here.
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}
