import { type CompiledQuery, type Kysely, sql } from "kysely";
import type { Database } from "./schema.js";
import { runPlansOn, type WritePlan } from "./write-plan.js";
import type { WriteJob, Writer } from "./writer.js";

// serialization_failure, deadlock_detected: the transaction lost a race and can simply rerun.
const RETRYABLE = new Set(["40001", "40P01"]);
const MAX_ATTEMPTS = 5;
// Groups of plans committing at once, each on a connection of the pool; plans that come while
// they are all busy wait and form the next groups.
const PLAN_GROUPS = 4;

interface PendingPlan {
  plan: WritePlan;
  key: string;
  attempt: number;
  resolve(committed: boolean): void;
  reject(error: unknown): void;
}

/**
 * For PostgreSQL: one transaction per job, many at once over the pool. Replicas write
 * concurrently; jobs serialise on the rows they lock, and a lost race is retried. Write plans
 * (`runPlan`) that come while others commit share a transaction: one commit, one wait for the
 * WAL flush, for the group.
 */
export class TransactionWriter implements Writer {
  readonly #db: Kysely<Database>;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #commitGroup: ((statements: readonly CompiledQuery[]) => Promise<void>) | undefined;
  #plans: PendingPlan[] = [];
  #planGroups = 0;

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

  runPlan(plan: WritePlan, key = ""): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.#plans.push({ plan, key, attempt: 1, resolve, reject });
      this.#startPlanGroups();
    });
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

  #startPlanGroups(): void {
    while (this.#planGroups < PLAN_GROUPS && this.#plans.length > 0) {
      const group = this.#plans;
      this.#plans = [];
      this.#planGroups++;
      // Tracked with what follows it, so that drain() also waits for the groups it starts.
      void this.#track(
        this.#runPlanGroup(group).finally(() => {
          this.#planGroups--;
          this.#startPlanGroups();
        }),
      );
    }
  }

  async #runPlanGroup(group: PendingPlan[]): Promise<void> {
    // Rows locked in one order by every group: concurrent groups wait, they do not deadlock.
    group.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const plans = group.map(({ plan }) => plan);
    let results: Awaited<ReturnType<typeof runPlansOn>>;
    try {
      results = await this.#db
        .getExecutor()
        .provideConnection((conn) => runPlansOn(conn, plans, "begin"));
    } catch (error) {
      for (const { reject } of group) reject(error);
      return;
    }
    group.forEach((pending, i) => {
      const result = results[i]!;
      if (!(result instanceof Error)) pending.resolve(result === "committed");
      else if (pending.attempt < MAX_ATTEMPTS && isRetryable(result)) {
        this.#plans.push({ ...pending, attempt: pending.attempt + 1 });
      } else pending.reject(result);
    });
  }

  async #attempt<T>(job: WriteJob<T>, attempt: number): Promise<T> {
    try {
      return await this.#db.transaction().execute((trx) => job(trx));
    } catch (error) {
      if (attempt < MAX_ATTEMPTS && isRetryable(error)) {
        return this.#attempt(job, attempt + 1);
      }
      throw error;
    }
  }
}

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && RETRYABLE.has(code);
}
