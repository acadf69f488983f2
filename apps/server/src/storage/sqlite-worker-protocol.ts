/** What the SQLite write worker is started with (`workerData`). */
export interface WorkerSettings {
  /** The database file. */
  readonly file: string;
  /** Pragmas run on the worker's connection when it opens. */
  readonly pragmas: readonly string[];
  /** Prepared statements kept, least recently used out first. */
  readonly maxStatements: number;
}

/** One statement and its parameters, as the worker receives them. */
export interface WorkerStatement {
  readonly sql: string;
  readonly parameters: readonly unknown[];
}

/** An error thrown in the worker, as it crosses to the main thread. */
export interface WorkerError {
  readonly name?: string | undefined;
  readonly message: string;
  readonly code?: string | undefined;
}

/**
 * Messages to the worker:
 * - a statement with an `id`: run at once, in order;
 * - a `group` with an `id`: statements that need no transaction of their own. Groups that
 *   arrive while the worker is busy (a commit waiting for the disk) are committed together, in
 *   one transaction, after any statement received before them and outside any transaction the
 *   other messages opened;
 * - `"close"`: commit what was received, close the database and exit.
 */
export type WorkerRequest =
  | (WorkerStatement & { readonly id: number })
  | { readonly id: number; readonly group: readonly WorkerStatement[] }
  | "close";

/**
 * Messages from the worker: `{ ready }` or `{ failed }` once, when the database is open (or
 * cannot be); then one reply per statement, and `{ committed }` for groups, or `{ id, error }`
 * for a group that failed on its own.
 */
export type WorkerReply =
  | { readonly ready: true }
  | { readonly failed: WorkerError }
  | { readonly id: number; readonly rows: Record<string, unknown>[] }
  | { readonly id: number; readonly changes: number; readonly lastInsertRowid: number | bigint }
  | { readonly id: number; readonly error: WorkerError }
  | { readonly committed: readonly number[] };
