import type { SqliteDatabase, SqliteStatement } from "kysely";

/**
 * A better-sqlite3 database whose prepared statements are reused: Kysely prepares every query
 * it runs, and preparing costs more than running the small queries of the hot read path.
 * Bounded, least recently used out first (queries with `in (…)` lists vary in text).
 */
export function withStatementCache(database: SqliteDatabase, maxStatements = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement !== undefined) {
        // Re-insert to mark it as recently used.
        cache.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (cache.size >= maxStatements) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}
