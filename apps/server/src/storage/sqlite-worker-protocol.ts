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

/**
 * Write plans (see `WritePlan`) as the worker receives them: one flat array, cheaper to clone
 * than an object per statement. For each plan: its number of statements (the guard first),
 * then for each statement the id of its SQL, its number of parameters and the parameters.
 * `sql` gives the text of each id sent for the first time; ids are never reused. A parameter
 * that is bytes (a Buffer) is `undefined` in `plans` (no parameter is ever undefined): its bytes
 * are the next `blobLengths` of `blobs`, all of them in one array (each typed array costs
 * structured clone several times what its bytes do).
 */
export interface WorkerPlans {
  readonly id: number;
  readonly plans: readonly unknown[];
  readonly sql: readonly (readonly [number, string])[];
  readonly blobs: Uint8Array;
  readonly blobLengths: readonly number[];
}

/** What became of one plan of a `plans` message. */
export type WorkerPlanOutcome = "committed" | "lost" | { readonly error: WorkerError };

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
 * - `plans` with an `id`: write plans run at once, in order, in one transaction committed with
 *   the connection's own `synchronous` setting (one fsync for them all); a plan whose guard
 *   changes no row is lost and the rest of it is skipped; when one fails, each runs again in a
 *   transaction of its own, so that it fails alone;
 * - `"close"`: commit what was received, close the database and exit.
 */
export type WorkerRequest =
  | (WorkerStatement & { readonly id: number })
  | { readonly id: number; readonly group: readonly WorkerStatement[] }
  | WorkerPlans
  | "close";

/**
 * Messages from the worker: `{ ready }` or `{ failed }` once, when the database is open (or
 * cannot be); then one reply per statement, `{ committed }` for groups, or `{ id, error }`
 * for a group that failed on its own, and `{ id, outcomes }` for plans, one outcome per plan.
 */
export type WorkerReply =
  | { readonly ready: true }
  | { readonly failed: WorkerError }
  | { readonly id: number; readonly rows: Record<string, unknown>[] }
  | { readonly id: number; readonly changes: number; readonly lastInsertRowid: number | bigint }
  | { readonly id: number; readonly error: WorkerError }
  | { readonly committed: readonly number[] }
  | { readonly id: number; readonly outcomes: readonly WorkerPlanOutcome[] };
