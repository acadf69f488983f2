import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { type CompiledQuery, Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Logger } from "pino";
import { checkDataDirPermissions } from "./data-dir-permissions.js";
import { StorageError } from "./errors.js";
import { PostgresPipeline } from "./postgres-pipeline.js";
import { PostgresStatements } from "./postgres-statements.js";
import type { QueryRunner } from "./prepared-query.js";
import type { Database, DialectName } from "./schema.js";
import { SqliteWorkerDialect } from "./sqlite-worker-dialect.js";
import { withStatementCache } from "./statement-cache.js";

/** The SQLite file's name inside the data folder. */
export const DATABASE_FILE_NAME = "hush.db";

/** An open database and which dialect it speaks. */
export interface OpenDatabase {
  readonly db: Kysely<Database>;
  /**
   * Where write transactions go. On SQLite, a second connection in a worker thread, so that a
   * commit waiting for the disk does not stall the event loop; on PostgreSQL, `db` itself.
   */
  readonly writeDb: Kysely<Database>;
  /**
   * Commits statements that need no transaction of their own (see `Writer.runStatements`). On
   * SQLite, in groups, in the worker (see `SqliteWorkerDialect.commitGroup`); on PostgreSQL, on
   * connections of their own with `synchronous_commit = off`, one statement autocommitted in one
   * round trip.
   */
  readonly commitGroup?: (statements: readonly CompiledQuery[]) => Promise<void>;
  /**
   * Runs a compiled read-only query on `db`'s connection, for the hot read path: on SQLite
   * straight through a cached prepared statement, on PostgreSQL as a named prepared statement,
   * without Kysely's executor around it.
   */
  readonly read: QueryRunner;
  /** Closes both. */
  destroy(): Promise<void>;
  /** On PostgreSQL, the pool's connection counts, for the metrics. */
  readonly poolStats?: () => { total: number; idle: number; waiting: number };
  readonly dialect: DialectName;
  /** Where it is, for messages: a file path, or the URL without its password. */
  readonly location: string;
}

/** A PostgreSQL URL fit for messages and logs: the password is replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparseable URL)";
  }
}

// Every SQLite connection's settings, the worker's included.
const SQLITE_PRAGMAS = [
  "journal_mode = WAL",
  // FULL: an acknowledged write survives power loss, not just a process crash.
  "synchronous = FULL",
  "foreign_keys = ON",
  "busy_timeout = 5000",
  // So that `_like` filters behave as on PostgreSQL.
  "case_sensitive_like = ON",
];

function openSqlite(
  dataDir: string,
  onWriterFailure: ((error: Error) => void) | undefined,
): OpenDatabase {
  checkDataDirPermissions(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, DATABASE_FILE_NAME);
  let sqlite: SqliteDatabase.Database;
  try {
    const created = !existsSync(path);
    sqlite = new SqliteDatabase(path);
    // Only ciphertext and token hashes are in it, but nobody else needs to read even those.
    if (created && process.platform !== "win32") chmodSync(path, 0o600);
    for (const pragma of SQLITE_PRAGMAS) sqlite.pragma(pragma);
  } catch (cause) {
    throw new StorageError(
      `Cannot open the database ${path}: ${(cause as Error).message}. Check that the data folder is writable.`,
      { cause },
    );
  }
  const statements = withStatementCache(sqlite);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
  // better-sqlite3 runs a statement synchronously, and this connection opens no transaction
  // (writes go to the worker's), so Kysely's lock on the connection is not needed around a read.
  const read: QueryRunner = async <R>(query: CompiledQuery<R>) => {
    const statement = statements.prepare(query.sql);
    if (!statement.reader) throw new StorageError(`Not a read-only query: ${query.sql}`);
    return statement.all(query.parameters) as R[];
  };
  // The worker opens its connection on the first write, after the file exists and is migrated.
  const writer = new SqliteWorkerDialect({
    file: path,
    pragmas: SQLITE_PRAGMAS,
    onFailure: onWriterFailure,
  });
  const writeDb = new Kysely<Database>({ dialect: writer });
  return {
    db,
    writeDb,
    commitGroup: (statements) => writer.commitGroup(statements),
    read,
    destroy: async () => {
      await writeDb.destroy();
      await writer.close();
      await db.destroy();
    },
    dialect: "sqlite",
    location: path,
  };
}

function openPostgres(databaseUrl: string, logger: Logger | undefined): OpenDatabase {
  // An idle client losing its connection must not crash the process; the pool replaces it.
  const onClientError = (error: Error) => {
    logger?.warn({ err: { message: error.message } }, "PostgreSQL client error");
  };
  // Write transactions: one connection each while it lasts.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  pool.on("error", onClientError);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const statements = new PostgresStatements();
  // Hot reads and audit INSERTs each over a pipelined connection of their own.
  const reads = new PostgresPipeline({
    connectionString: databaseUrl,
    onError: onClientError,
  });
  const read: QueryRunner = <R>(query: CompiledQuery<R>) =>
    reads.query<R>(statements.config(query));
  // What commits here survives a crash of the server process, not of PostgreSQL's host (see
  // `Writer.runStatements`). Set once on the connection, before any statement on it.
  const audit = new PostgresPipeline({
    connectionString: databaseUrl,
    setup: "set synchronous_commit = off",
    onError: onClientError,
  });
  const commitGroup = async (queries: readonly CompiledQuery[]): Promise<void> => {
    const [only] = queries;
    // Autocommitted: no BEGIN or COMMIT round trip.
    if (queries.length === 1 && only !== undefined) await audit.query(statements.config(only));
    // More rows than one INSERT takes: one transaction, so that they commit together.
    else if (queries.length > 1) await audit.transaction(queries.map((q) => statements.config(q)));
  };
  return {
    db,
    writeDb: db,
    commitGroup,
    read,
    destroy: async () => {
      await Promise.all([reads.close(), audit.close()]);
      await db.destroy();
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    dialect: "postgres",
    location: redactUrl(databaseUrl),
  };
}

/** Opens PostgreSQL when a URL is given, else the SQLite file in the data folder. */
export function openDatabase(options: {
  dataDir: string;
  databaseUrl?: string | undefined;
  logger?: Logger | undefined;
  /**
   * Called once if SQLite's writer thread stops unexpectedly: from then on every write fails,
   * so the process should stop (see `hush-server start`).
   */
  onWriterFailure?: ((error: Error) => void) | undefined;
}): OpenDatabase {
  if (options.databaseUrl !== undefined && options.databaseUrl !== "") {
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
      throw new StorageError(
        `The database URL ${redactUrl(options.databaseUrl)} is not a PostgreSQL URL; use postgres://user:password@host:5432/database.`,
      );
    }
    return openPostgres(options.databaseUrl, options.logger);
  }
  return openSqlite(options.dataDir, options.onWriterFailure);
}
