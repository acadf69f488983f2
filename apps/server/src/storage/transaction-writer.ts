import { type CompiledQuery, type Kysely, sql } from "kysely";
import type { Database } from "./schema.js";
import type { WriteJob, Writer } from "./writer.js";

// serialization_failure, deadlock_detected: the transaction lost a race and can simply rerun.
const RETRYABLE = new Set(["40001", "40P01"]);
const MAX_ATTEMPTS = 5;

/**
 * For PostgreSQL: one transaction per job, many at once over the pool. Replicas write
 * concurrently; jobs serialise on the rows they lock, and a lost race is retried.
 */
export class TransactionWriter implements Writer {
  readonly #db: Kysely<Database>;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #commitGroup: ((statements: readonly CompiledQuery[]) => Promise<void>) | undefined;

  /**
   * @param commitGroup Commits statements that need no transaction of their own, on a connection
   * with `synchronous_commit = off` (`OpenDatabase.commitGroup`); without it, each call of
   * runStatements is a transaction on `db`.
   */
  constructor(
    db: Kysely<Database>,
    commitGroup?: (statements: readonly CompiledQuery[]) => Promise<void>,
  ) {
    this.#db = db;
    this.#commitGroup = commitGroup;
  }

  // Every job has a transaction of its own, so `key` changes nothing here.
  run<T>(job: WriteJob<T>, _key?: string): Promise<T> {
    return this.#track(this.#attempt(job, 1));
  }

  runStatements(statements: () => readonly CompiledQuery[]): Promise<void> {
    if (this.#commitGroup !== undefined) return this.#track(this.#commitGroup(statements()));
    return this.#track(
      this.#db.transaction().execute(async (trx) => {
        // Committed before the caller goes on, without waiting for the WAL flush (see Writer).
        await sql`set local synchronous_commit = off`.execute(trx);
        for (const statement of statements()) await trx.executeQuery(statement);
      }),
    );
  }

  async ready(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #track<T>(running: Promise<T>): Promise<T> {
    this.#inFlight.add(running);
    const forget = () => this.#inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  async #attempt<T>(job: WriteJob<T>, attempt: number): Promise<T> {
    try {
      return await this.#db.transaction().execute((trx) => job(trx));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt < MAX_ATTEMPTS && typeof code === "string" && RETRYABLE.has(code)) {
        return this.#attempt(job, attempt + 1);
      }
      throw error;
    }
  }
}
