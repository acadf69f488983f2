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
import type {
  WorkerError,
  WorkerPlanOutcome,
  WorkerReply,
  WorkerRequest,
  WorkerSettings,
} from "./sqlite-worker-protocol.js";
import type { PlanConnection, PlanResult, WritePlan } from "./write-plan.js";

// Next to this module in the sources and in the build alike (see the worker for why it is
// checked JavaScript).
const WORKER_URL = new URL("./sqlite-worker.js", import.meta.url);
// How long close() waits for the worker to commit and exit before stopping it.
const CLOSE_TIMEOUT_MS = 10_000;

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
  /**
   * Called once if the worker stops without being asked to (it crashed or was terminated).
   * Every query waiting for it, and every later one, fails; nothing it acknowledged is lost.
   */
  readonly onFailure?: ((error: Error) => void) | undefined;
}

interface Waiting {
  // A QueryResult for a statement or group, the outcomes for plans.
  resolve(result: unknown): void;
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

const workerError = (error: WorkerError) =>
  new SqliteWorkerError(error.message, error.code, error.name);

// Structured clone copies a typed array's whole ArrayBuffer: a small Buffer is often a slice of
// Node's shared 8 KiB pool (a sealed value's ciphertext is), so it goes as a copy of its own.
const cloneable = (value: unknown) =>
  value instanceof Uint8Array && value.byteLength !== value.buffer.byteLength
    ? new Uint8Array(value)
    : value;

// The bytes of `arrays` one after another, in an ArrayBuffer of their own (see cloneable).
function packed(arrays: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(arrays.reduce((total, array) => total + array.byteLength, 0));
  let at = 0;
  for (const array of arrays) {
    bytes.set(array, at);
    at += array.byteLength;
  }
  return bytes;
}

const statementOf = ({ sql, parameters }: CompiledQuery) => ({
  sql,
  parameters: parameters.map(cloneable),
});

/** The one connection to the worker; queries run there one after another, in order. */
class WorkerConnection implements PlanConnection {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, Waiting>();
  #nextId = 0;
  #broken: Error | undefined;
  #closing = false;
  #closed: Promise<void> | undefined;
  // Ids of the SQL of plans' statements, sent once each (see WorkerPlans).
  readonly #planSql = new Map<string, number>();
  /** Resolves once the worker thread has exited, however it did. */
  readonly exited: Promise<void>;

  constructor(worker: Worker, onFailure: ((error: Error) => void) | undefined) {
    this.#worker = worker;
    let error: Error | undefined;
    worker.on("message", (reply: WorkerReply) => this.#settle(reply));
    worker.on("error", (thrown) => {
      error = thrown;
    });
    this.exited = new Promise((resolve) => {
      worker.once("exit", (code) => {
        const failure = new Error(
          this.#closing
            ? "The SQLite worker is closed."
            : `The SQLite writer stopped unexpectedly (exit code ${code}${error ? `: ${error.message}` : ""}); writes fail until the server restarts.`,
          { cause: error },
        );
        this.#fail(failure);
        if (!this.#closing) onFailure?.(failure);
        resolve();
      });
    });
  }

  /** Asks the worker to commit what it received and exit; resolves once it has exited. */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    if (this.#broken !== undefined) return this.exited;
    this.#closing = true;
    this.#worker.ref();
    this.#post("close");
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), CLOSE_TIMEOUT_MS);
    });
    try {
      if ((await Promise.race([this.exited, late])) === "late") await this.#worker.terminate();
    } finally {
      clearTimeout(timer);
    }
    await this.exited;
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.#send<QueryResult<R>>((id) => ({ id, ...statementOf(query) }));
  }

  /** See {@link SqliteWorkerDialect.commitGroup}. */
  commitGroup(statements: readonly CompiledQuery[]): Promise<void> {
    const group = statements.map(statementOf);
    return this.#send((id) => ({ id, group })).then(() => {});
  }

  /**
   * Runs write plans in one transaction on the worker, one message each way for them all (see
   * `WorkerRequest`); the caller holds the connection, so no other transaction is open.
   */
  async runPlans(plans: readonly WritePlan[]): Promise<PlanResult[]> {
    const flat: unknown[] = [];
    const sql: [number, string][] = [];
    const blobs: Uint8Array[] = [];
    const add = (statement: CompiledQuery) => {
      let sqlId = this.#planSql.get(statement.sql);
      if (sqlId === undefined) {
        sqlId = this.#planSql.size;
        this.#planSql.set(statement.sql, sqlId);
        sql.push([sqlId, statement.sql]);
      }
      flat.push(sqlId, statement.parameters.length);
      for (const parameter of statement.parameters) {
        if (parameter instanceof Uint8Array) {
          blobs.push(parameter);
          flat.push(undefined);
        } else flat.push(parameter);
      }
    };
    for (const plan of plans) {
      flat.push(1 + plan.writes.length);
      add(plan.guard);
      plan.writes.forEach(add);
    }
    const outcomes = await this.#send<readonly WorkerPlanOutcome[]>((id) => ({
      id,
      plans: flat,
      sql,
      blobs: packed(blobs),
      blobLengths: blobs.map((blob) => blob.byteLength),
    }));
    return outcomes.map((outcome) =>
      typeof outcome === "string" ? outcome : workerError(outcome.error),
    );
  }

  #send<R>(message: (id: number) => object): Promise<R> {
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    const id = this.#nextId++;
    return new Promise<R>((resolve, reject) => {
      this.#waiting.set(id, { resolve: resolve as Waiting["resolve"], reject });
      // The worker keeps the process alive only while a query is waiting for it.
      if (this.#waiting.size === 1) this.#worker.ref();
      this.#post(message(id) as WorkerRequest);
    });
  }

  #post(message: WorkerRequest): void {
    this.#worker.postMessage(message);
  }

  // biome-ignore lint/correctness/useYield: streaming is not supported; it fails at once.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("The SQLite worker connection does not stream query results.");
  }

  #settle(reply: WorkerReply): void {
    if ("ready" in reply || "failed" in reply) return;
    if ("committed" in reply) {
      for (const id of reply.committed) this.#take(id)?.resolve({ rows: [] });
      return;
    }
    const waiting = this.#take(reply.id);
    if (waiting === undefined) return;
    if ("error" in reply) {
      waiting.reject(workerError(reply.error));
    } else if ("outcomes" in reply) {
      waiting.resolve(reply.outcomes);
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
    const settings: WorkerSettings = {
      file: this.#config.file,
      pragmas: this.#config.pragmas,
      maxStatements: this.#config.maxStatements ?? 200,
    };
    const worker = new Worker(WORKER_URL, { workerData: settings });
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
    this.#connection = new WorkerConnection(worker, this.#config.onFailure);
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

  // Resolves whatever state the worker is in: running, never started, failed or gone.
  async destroy(): Promise<void> {
    await this.#started?.catch(() => {});
    await this.#connection?.close();
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

  /**
   * Stops the worker (after committing the groups it received); safe to call again, and
   * resolves even when the worker is already gone.
   */
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
