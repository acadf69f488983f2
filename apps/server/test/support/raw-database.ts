import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { OpenedBackend } from "./backends.js";

/**
 * Runs SQL on a backend's database directly, behind the service's back: how tests play an
 * attacker or a broken disk. Statements must be valid on both SQLite and PostgreSQL.
 */
export async function rawSql(
  opened: OpenedBackend,
  text: string,
): Promise<Array<Record<string, unknown>>> {
  if (opened.databaseUrl !== undefined) {
    const client = new pg.Client({ connectionString: opened.databaseUrl });
    await client.connect();
    try {
      return (await client.query(text)).rows;
    } finally {
      await client.end();
    }
  }
  const db = new SqliteDatabase(join(opened.dataDir, "hush.db"));
  try {
    db.pragma("busy_timeout = 5000");
    const statement = db.prepare(text);
    if (statement.reader) return statement.all() as Array<Record<string, unknown>>;
    statement.run();
    return [];
  } finally {
    db.close();
  }
}

/**
 * A Kysely of its own over a backend's database (close the service first), e.g. to run one
 * migration again on data a test made look older. `destroy()` it after use.
 */
export function rawKysely(opened: OpenedBackend): Kysely<unknown> {
  return new Kysely<unknown>({
    dialect:
      opened.databaseUrl === undefined
        ? new SqliteDialect({ database: new SqliteDatabase(join(opened.dataDir, "hush.db")) })
        : new PostgresDialect({ pool: new pg.Pool({ connectionString: opened.databaseUrl }) }),
  });
}
