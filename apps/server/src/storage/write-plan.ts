import { CompiledQuery, type DatabaseConnection } from "kysely";

/**
 * A write made of compiled statements whose parameters need no earlier result, made from a
 * state read before its transaction (optimistic). Its `guard` checks that state still holds: it
 * changes exactly one row when it does, none when another write got there first; then nothing
 * else of the plan runs and the caller reads again and makes a new plan. (A guard that is a
 * query, e.g. PostgreSQL's WITH of data-modifying statements, returns one row or none.)
 */
export interface WritePlan {
  readonly guard: CompiledQuery;
  /** Run after the guard changed its row, in order, in the same transaction. */
  readonly writes: readonly CompiledQuery[];
}

/** What became of a plan: committed, lost to another write (nothing of it ran), or failed. */
export type PlanResult = "committed" | "lost" | Error;

/** A connection that runs groups of plans itself, in one message (the SQLite worker). */
export interface PlanConnection extends DatabaseConnection {
  runPlans(plans: readonly WritePlan[]): Promise<PlanResult[]>;
}

export function isPlanConnection(connection: DatabaseConnection): connection is PlanConnection {
  return typeof (connection as Partial<PlanConnection>).runPlans === "function";
}

/**
 * Runs `plans` in one transaction opened with `begin` (e.g. `begin immediate`), one commit for
 * them all; when one fails, rolls back and runs each in a transaction of its own, so that it
 * fails alone. Statement by statement over `connection`; the SQLite worker does the same on its
 * side (`runPlans`).
 */
export async function runPlansOn(
  connection: DatabaseConnection,
  plans: readonly WritePlan[],
  begin: string,
): Promise<PlanResult[]> {
  const inTransaction = async (group: readonly WritePlan[]) => {
    // One statement alone is a transaction by itself: no BEGIN and COMMIT round trips. Its commit
    // waits for the disk as any job's: on PostgreSQL the sessions keep synchronous_commit on
    // (runStatements turns it off only inside its own transactions, with SET LOCAL).
    const [lone, ...others] = group;
    if (lone !== undefined && others.length === 0 && lone.writes.length === 0) {
      return [await applyPlan(connection, lone)];
    }
    await connection.executeQuery(CompiledQuery.raw(begin));
    try {
      const results: PlanResult[] = [];
      for (const plan of group) results.push(await applyPlan(connection, plan));
      await connection.executeQuery(CompiledQuery.raw("commit"));
      return results;
    } catch (error) {
      await connection.executeQuery(CompiledQuery.raw("rollback")).catch(() => {});
      throw error;
    }
  };
  try {
    return await inTransaction(plans);
  } catch (error) {
    if (plans.length === 1) return [asError(error)];
  }
  const results: PlanResult[] = [];
  for (const plan of plans) {
    results.push(await inTransaction([plan]).then(([result]) => result!, asError));
  }
  return results;
}

async function applyPlan(connection: DatabaseConnection, plan: WritePlan): Promise<PlanResult> {
  const guarded = await connection.executeQuery(plan.guard);
  if ((guarded.numAffectedRows ?? BigInt(guarded.rows.length)) === 0n) return "lost";
  for (const statement of plan.writes) await connection.executeQuery(statement);
  return "committed";
}

const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));
