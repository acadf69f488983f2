import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

/** A unit of work run inside a transaction. It may be rerun, so it must only touch the database. */
export type WriteJob<T> = (db: Kysely<Database>) => Promise<T>;

/**
 * Runs write jobs in transactions and resolves each job only after its transaction committed.
 */
export interface Writer {
  run<T>(job: WriteJob<T>): Promise<T>;
  /** Resolves once every job accepted so far has finished. */
  drain(): Promise<void>;
}
