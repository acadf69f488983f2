import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { DATABASE_FILE_NAME } from "../storage/open-database.js";
import { CliError, usageError } from "./cli-error.js";
import type { CliIo } from "./io.js";

/** The folder used when neither `--data-dir` nor `HUSH_DATA_DIR` is given. */
export const DEFAULT_DATA_DIR = ".hush-data";
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 4200;

/** `parseArgs` options every command that opens the data takes. */
export const storageOptions = {
  "data-dir": { type: "string" },
  "database-url": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** `parseArgs` options for where the server listens. */
export const listenOptions = {
  host: { type: "string" },
  port: { type: "string" },
} as const;

export const STORAGE_HELP = `  --data-dir DIR        The data folder: database, WAL and master.key
                        (env HUSH_DATA_DIR; default ./${DEFAULT_DATA_DIR})
  --database-url URL    Store in PostgreSQL instead of SQLite, e.g. postgres://user@host/db
                        (env HUSH_DATABASE_URL; prefer the env: arguments show up in ps)`;

export const LISTEN_HELP = `  --host HOST           The address to listen on (env HUSH_HOST; default ${DEFAULT_HOST})
  --port PORT           The port to listen on, 0 for any free one (env HUSH_PORT; default ${DEFAULT_PORT})`;

export interface StorageSettings {
  dataDir: string;
  databaseUrl: string | undefined;
}

export function storageSettings(
  values: { "data-dir"?: string | undefined; "database-url"?: string | undefined },
  io: CliIo,
): StorageSettings {
  const dataDir = values["data-dir"] ?? io.env.HUSH_DATA_DIR ?? DEFAULT_DATA_DIR;
  if (dataDir === "") throw usageError("--data-dir must not be empty.");
  const databaseUrl = values["database-url"] ?? (io.env.HUSH_DATABASE_URL || undefined);
  return { dataDir: resolve(io.cwd, dataDir), databaseUrl };
}

export function listenSettings(
  values: { host?: string | undefined; port?: string | undefined },
  io: CliIo,
  command: string,
): { host: string; port: number } {
  const host = values.host ?? (io.env.HUSH_HOST || DEFAULT_HOST);
  const portText = values.port ?? (io.env.HUSH_PORT || String(DEFAULT_PORT));
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) {
    throw usageError(
      `The port must be a whole number from 0 to 65535, not "${portText}".`,
      command,
    );
  }
  return { host, port };
}

/** The URL clients use; an IPv6 host gets its brackets. */
export function endpointOf(host: string, port: number): string {
  const shown = host.includes(":") ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/** Refuses to work on a data folder that `init` never set up (SQLite only). */
export function requireInitialised(settings: StorageSettings): void {
  if (settings.databaseUrl !== undefined) return;
  if (!existsSync(join(settings.dataDir, DATABASE_FILE_NAME))) {
    throw new CliError(
      `There is no hush database in ${settings.dataDir}. Run hush-server init first, or pass the --data-dir you used for it.`,
    );
  }
}
