import type { Compilable, CompiledQuery, Kysely } from "kysely";
import { queryTemplate } from "./query-template.js";

/** Runs a compiled read-only query and resolves with its rows. */
export type QueryRunner = <R>(query: CompiledQuery<R>) => Promise<R[]>;

/** A {@link QueryRunner} through Kysely's own executor. */
export function kyselyRunner<DB>(db: Kysely<DB>): QueryRunner {
  return async (query) => (await db.executeQuery(query)).rows;
}

/**
 * A read-only query built and compiled once, then run by `run` with new values: on the hot read
 * path, building and compiling a Kysely query costs several times more than running it on SQLite.
 *
 * `build` gets one placeholder per key and must pass each one only as a value (in a `where`…),
 * never as a table or column name: the placeholders are found again among the compiled query's
 * parameters, and a key that is not found there is an error at once.
 *
 * @example
 * const namesOf = prepareQuery(kyselyRunner(db), ["tenantId"], (p) =>
 *   db.selectFrom("secrets").select("name").where("tenant_id", "=", p.tenantId),
 * );
 * const rows = await namesOf({ tenantId });
 */
export function prepareQuery<K extends string, R>(
  run: QueryRunner,
  keys: readonly K[],
  build: (placeholders: Record<K, string>) => Compilable<R>,
): (values: Record<K, unknown>) => Promise<R[]> {
  // The placeholders are the template's: strings only it knows, typed to fit any column.
  const fill = queryTemplate(keys, build as (placeholders: Record<K, never>) => Compilable<R>);
  return (values) => run(fill(values) as CompiledQuery<R>);
}
