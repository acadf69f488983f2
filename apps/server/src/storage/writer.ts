import type { CompiledQuery, Kysely } from "kysely";
import type { Database } from "./schema.js";
import type { WritePlan } from "./write-plan.js";

/** A unit of work run inside a transaction. It may be rerun, so it must only touch the database. */
export type WriteJob<T> = (db: Kysely<Database>) => Promise<T>;

/**
 * Runs write jobs in transactions and resolves each job only after its transaction committed.
 */
export interface Writer {
  /**
   * @param key Names the only rows the job touches besides inserting audit events (e.g. one
   * secret: tenant and name). Jobs with different keys may run interleaved in one transaction;
   * jobs without a key, or with the same key, run one after another, in the order they came.
   */
  run<T>(job: WriteJob<T>, key?: string): Promise<T>;
  /**
   * Commits a write plan (see {@link WritePlan}) with the plans of other calls, one commit (and
   * one wait for the disk) for the group; resolves true once it is committed, false when its
   * guard found that another write got there first (nothing of it was written). Rejects when
   * it failed; it fails alone. `key` is as for `run`. A writer without it runs jobs only.
   */
  runPlan?(plan: WritePlan, key?: string): Promise<boolean>;
  /**
   * Commits statements that need no transaction around them (an INSERT of audit events) and
   * resolves once they are committed. They may share a commit with those of other calls, but
   * never with a job's transaction, and cost no BEGIN or COMMIT round trip of their own.
   * `statements` is called when they are about to be sent; they are compiled for the writer's
   * dialect. Their commit does not wait for the disk (SQLite `synchronous = NORMAL`, PostgreSQL
   * `synchronous_commit = off`): they survive a crash of the server process, not a power loss.
   * A job's commit always waits for the disk.
   */
  runStatements(statements: () => readonly CompiledQuery[]): Promise<void>;
  /** Resolves once every job accepted so far has finished. */
  drain(): Promise<void>;
  /**
   * Resolves once the connection writes go through answers a query (for `GET /readyz`); rejects
   * when it cannot, e.g. because SQLite's writer thread is gone.
   */
  ready(): Promise<void>;
}
