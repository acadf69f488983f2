import { type CompiledQuery, type Kysely, sql } from "kysely";
import type { Database } from "./schema.js";
import { isPlanConnection, type PlanResult, runPlansOn, type WritePlan } from "./write-plan.js";
import type { WriteJob, Writer } from "./writer.js";

interface PendingPlan {
  plan: WritePlan;
  resolve(committed: boolean): void;
  reject(error: unknown): void;
}

interface Pending {
  job: WriteJob<unknown>;
  key: string | undefined;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit for SQLite, where a commit (an fsync with `synchronous=FULL`) costs far more than
 * the rows in it: while one transaction commits, new jobs wait; when it finishes, all of them run
 * in the next transaction. No timers: a lone write commits at once. A job that fails rolls its
 * batch back and the batch's jobs are rerun one per transaction, so it fails alone.
 *
 * Within a batch, jobs with different keys run interleaved: their statements reach the
 * connection back to back instead of each waiting for the previous job's last answer (on the
 * SQLite worker, each statement is a message round trip). Jobs with the same key, and jobs
 * without one, run one after another in the order they came; unkeyed ones after the keyed.
 *
 * Write plans (`runPlan`) gather the same way, in a transaction of their own before the jobs':
 * on the SQLite worker a group of plans is one message each way and one fsync, however many
 * plans it holds.
 */
export class GroupCommitWriter implements Writer {
  readonly #db: Kysely<Database>;
  readonly #commitGroup: ((statements: readonly CompiledQuery[]) => Promise<void>) | undefined;
  #pending: Pending[] = [];
  #plans: PendingPlan[] = [];
  #loop: Promise<void> | undefined;
  readonly #statements = new Set<Promise<void>>();

  /**
   * @param commitGroup Commits statements that need no transaction of their own, grouped with
   * others by the connection itself (`SqliteWorkerDialect.commitGroup`); without it, each call
   * of runStatements commits on its own.
   */
  constructor(
    db: Kysely<Database>,
    commitGroup?: (statements: readonly CompiledQuery[]) => Promise<void>,
  ) {
    this.#db = db;
    this.#commitGroup = commitGroup;
  }

  run<T>(job: WriteJob<T>, key?: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ job, key, resolve: resolve as (v: unknown) => void, reject });
      this.#loop ??= this.#drainLoop();
    });
  }

  // Plans guard the rows they write, so their order among jobs of the same key is no matter.
  runPlan(plan: WritePlan, _key?: string): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.#plans.push({ plan, resolve, reject });
      this.#loop ??= this.#drainLoop();
    });
  }

  runStatements(statements: () => readonly CompiledQuery[]): Promise<void> {
    const running =
      this.#commitGroup !== undefined
        ? this.#commitGroup(statements())
        : // The connection is the database's only one: this waits for a job's transaction to end.
          this.#db.connection().execute(async (conn) => {
            for (const statement of statements()) await conn.executeQuery(statement);
          });
    this.#statements.add(running);
    const forget = () => this.#statements.delete(running);
    running.then(forget, forget);
    return running;
  }

  async ready(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  async drain(): Promise<void> {
    while (this.#loop !== undefined || this.#statements.size > 0) {
      await Promise.allSettled([this.#loop, ...this.#statements]);
    }
  }

  async #drainLoop(): Promise<void> {
    try {
      while (this.#pending.length > 0 || this.#plans.length > 0) {
        if (this.#plans.length > 0) {
          const plans = this.#plans;
          this.#plans = [];
          await this.#runPlans(plans);
        }
        const batch = this.#pending;
        this.#pending = [];
        if (batch.length === 1) await this.#runAlone(batch[0]!);
        else if (batch.length > 1) await this.#runBatch(batch);
      }
    } finally {
      this.#loop = undefined;
    }
  }

  async #runPlans(pending: PendingPlan[]): Promise<void> {
    const plans = pending.map(({ plan }) => plan);
    let results: PlanResult[];
    try {
      // Holds the connection: no job's transaction is open while the plans run.
      results = await this.#db
        .getExecutor()
        .provideConnection((conn) =>
          isPlanConnection(conn)
            ? conn.runPlans(plans)
            : runPlansOn(conn, plans, "begin immediate"),
        );
    } catch (error) {
      for (const { reject } of pending) reject(error);
      return;
    }
    pending.forEach(({ resolve, reject }, i) => {
      const result = results[i]!;
      if (result instanceof Error) reject(result);
      else resolve(result === "committed");
    });
  }

  async #runBatch(batch: Pending[]): Promise<void> {
    let results: unknown[] | undefined;
    try {
      results = await this.#db.connection().execute(async (conn) => {
        // IMMEDIATE takes the write lock up front, so another process (an admin command) makes
        // this wait for busy_timeout instead of failing half-way through.
        await sql`begin immediate`.execute(conn);
        try {
          const out = await runInterleaved(batch, conn);
          await sql`commit`.execute(conn);
          return out;
        } catch (error) {
          await sql`rollback`.execute(conn).catch(() => {});
          throw error;
        }
      });
    } catch {
      for (const pending of batch) await this.#runAlone(pending);
      return;
    }
    batch.forEach((pending, i) => {
      pending.resolve(results[i]);
    });
  }

  async #runAlone(pending: Pending): Promise<void> {
    try {
      const result = await this.#db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        try {
          const out = await pending.job(conn);
          await sql`commit`.execute(conn);
          return out;
        } catch (error) {
          await sql`rollback`.execute(conn).catch(() => {});
          throw error;
        }
      });
      pending.resolve(result);
    } catch (error) {
      pending.reject(error);
    }
  }
}

/**
 * Runs a batch's jobs on one connection inside its transaction: each key's jobs in order, the
 * keys side by side, then the unkeyed jobs in order. Settles every job before failing, so that
 * no statement of the batch is still on its way when the caller rolls back.
 */
async function runInterleaved(batch: Pending[], conn: Kysely<Database>): Promise<unknown[]> {
  const out: unknown[] = new Array(batch.length);
  const chains = new Map<string, number[]>();
  const unkeyed: number[] = [];
  batch.forEach((pending, i) => {
    if (pending.key === undefined) unkeyed.push(i);
    else chains.set(pending.key, [...(chains.get(pending.key) ?? []), i]);
  });
  const runChain = async (indexes: number[]) => {
    for (const i of indexes) out[i] = await batch[i]!.job(conn);
  };
  const settled = await Promise.allSettled([...chains.values()].map(runChain));
  const failed = settled.find((result) => result.status === "rejected");
  if (failed !== undefined) throw failed.reason;
  await runChain(unkeyed);
  return out;
}
