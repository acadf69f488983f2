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
  | { id: number; error: { name?: string; message: string; code?: string } }
  | { committed: number[] };

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
    return this.#send((id) => ({ id, sql: query.sql, parameters: query.parameters }));
  }

  /** See {@link SqliteWorkerDialect.commitGroup}. */
  commitGroup(statements: readonly CompiledQuery[]): Promise<void> {
    const group = statements.map(({ sql, parameters }) => ({ sql, parameters }));
    return this.#send((id) => ({ id, group })).then(() => {});
  }

  #send<R>(message: (id: number) => object): Promise<QueryResult<R>> {
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    const id = this.#nextId++;
    return new Promise<QueryResult<R>>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as Waiting["resolve"], reject });
      // The worker keeps the process alive only while a query is waiting for it.
      if (this.#waiting.size === 1) this.#worker.ref();
      this.#worker.postMessage(message(id));
    });
  }

  // biome-ignore lint/correctness/useYield: streaming is not supported; it fails at once.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("The SQLite worker connection does not stream query results.");
  }

  #settle(reply: Reply): void {
    if ("committed" in reply) {
      for (const id of reply.committed) this.#take(id)?.resolve({ rows: [] });
      return;
    }
    const waiting = this.#take(reply.id);
    if (waiting === undefined) return;
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

  #take(id: number): Waiting | undefined {
    const waiting = this.#waiting.get(id);
    if (waiting === undefined) return undefined;
    this.#waiting.delete(id);
    if (this.#waiting.size === 0) this.#worker.unref();
    return waiting;
  }

  #fail(error: Error): void {
    this.#broken ??= error;
    for (const waiting of this.#waiting.values()) waiting.reject(error);
    this.#waiting.clear();
  }
}

class SqliteWorkerDriver implements Driver {
  readonly #config: SqliteWorkerDialectConfig;
  #started: Promise<void> | undefined;
  #worker: Worker | undefined;
  #connection: WorkerConnection | undefined;
  // SQLite has one connection here: a caller holds it until it releases it.
  #held: Promise<void> | undefined;
  #release: (() => void) | undefined;

  constructor(config: SqliteWorkerDialectConfig) {
    this.#config = config;
  }

  // Kysely calls init before its first query; commitGroup may come first. The worker starts once.
  init(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  async commitGroup(statements: readonly CompiledQuery[]): Promise<void> {
    await this.init();
    return this.#connection!.commitGroup(statements);
  }

  async #start(): Promise<void> {
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
    await this.#started?.catch(() => {});
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
  readonly #driver: SqliteWorkerDriver;

  constructor(config: SqliteWorkerDialectConfig) {
    this.#driver = new SqliteWorkerDriver(config);
  }

  /**
   * Commits statements that need no transaction of their own (each group resolves once
   * committed, or rejects alone). Groups that reach the worker while it is busy, a commit
   * waiting for the disk, share the next transaction, so one fsync covers them all: the worker
   * gathers them itself, without a round trip to the event loop between commits. They are
   * committed after the statements sent before them, outside any transaction those opened.
   */
  commitGroup(statements: readonly CompiledQuery[]): Promise<void> {
    return this.#driver.commitGroup(statements);
  }

  /** Stops the worker (after committing the groups it received); safe to call again. */
  close(): Promise<void> {
    return this.#driver.destroy();
  }

  // One Kysely instance per dialect: its driver is the one commitGroup uses.
  createDriver(): Driver {
    return this.#driver;
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
