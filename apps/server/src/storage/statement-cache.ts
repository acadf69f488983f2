import type { SqliteDatabase, SqliteStatement } from "kysely";
import { LRUCache } from "lru-cache";

/**
 * A better-sqlite3 database whose prepared statements are reused: Kysely prepares every query
 * it runs, and preparing costs more than running the small queries of the hot read path.
 * Bounded, least recently used out first (queries with `in (…)` lists vary in text).
 */
export function withStatementCache(database: SqliteDatabase, maxStatements = 500): SqliteDatabase {
  const cache = new LRUCache<string, SqliteStatement>({ max: maxStatements });
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = database.prepare(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
