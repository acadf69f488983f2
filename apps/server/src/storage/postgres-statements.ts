import type { CompiledQuery } from "kysely";
import type pg from "pg";

// Past this many distinct texts a query runs unnamed: a statement kept by name stays prepared on
// every connection of the pool for its life.
const MAX_NAMED = 1000;

/**
 * Runs compiled queries on PostgreSQL as named prepared statements: each connection parses and
 * plans a text once, and every later run sends only its values (Bind/Execute), one round trip
 * with less for both sides to do than an unnamed query's Parse each time.
 */
export class PostgresStatements {
  readonly #names = new Map<string, string>();

  /** The query pg sends for `query`: the same text gets the same name on every connection. */
  config(query: CompiledQuery): pg.QueryConfig {
    let name = this.#names.get(query.sql);
    if (name === undefined && this.#names.size < MAX_NAMED) {
      name = `hush_${this.#names.size}`;
      this.#names.set(query.sql, name);
    }
    return { name, text: query.sql, values: query.parameters as unknown[] };
  }
}
