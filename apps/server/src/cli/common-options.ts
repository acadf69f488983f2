import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { type BuildAppOptions, HTTP_DEFAULTS } from "../http/app.js";
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

// The HTTP server's timeouts and caps: flag, environment variable, and buildApp option.
const HTTP_SETTINGS = [
  ["request-timeout-ms", "HUSH_REQUEST_TIMEOUT_MS", "requestTimeoutMs"],
  ["headers-timeout-ms", "HUSH_HEADERS_TIMEOUT_MS", "headersTimeoutMs"],
  ["keep-alive-timeout-ms", "HUSH_KEEP_ALIVE_TIMEOUT_MS", "keepAliveTimeoutMs"],
  ["connection-timeout-ms", "HUSH_CONNECTION_TIMEOUT_MS", "connectionTimeoutMs"],
  ["max-connections", "HUSH_MAX_CONNECTIONS", "maxConnections"],
  ["max-requests-per-socket", "HUSH_MAX_REQUESTS_PER_SOCKET", "maxRequestsPerSocket"],
] as const;

type HttpFlag = (typeof HTTP_SETTINGS)[number][0];
type HttpOption = (typeof HTTP_SETTINGS)[number][2];

/** `parseArgs` options for the HTTP server's timeouts and connection caps. */
export const httpOptions = Object.fromEntries(
  HTTP_SETTINGS.map(([flag]) => [flag, { type: "string" }]),
) as { readonly [F in HttpFlag]: { readonly type: "string" } };

export const HTTP_HELP = `  --request-timeout-ms MS   A request (headers and body) must arrive within this time, or get 408
                        (env HUSH_REQUEST_TIMEOUT_MS; default ${HTTP_DEFAULTS.requestTimeoutMs}; 0: no limit)
  --headers-timeout-ms MS   The same for the headers alone; at most the request timeout
                        (env HUSH_HEADERS_TIMEOUT_MS; default ${HTTP_DEFAULTS.headersTimeoutMs})
  --keep-alive-timeout-ms MS  How long an idle keep-alive connection stays open
                        (env HUSH_KEEP_ALIVE_TIMEOUT_MS; default ${HTTP_DEFAULTS.keepAliveTimeoutMs})
  --connection-timeout-ms MS  Closes a connection silent for this long (0: never)
                        (env HUSH_CONNECTION_TIMEOUT_MS; default ${HTTP_DEFAULTS.connectionTimeoutMs})
  --max-connections N   Connections open at once; more are closed at once (0: no cap)
                        (env HUSH_MAX_CONNECTIONS; default ${HTTP_DEFAULTS.maxConnections})
  --max-requests-per-socket N  Requests per keep-alive connection (0: no cap)
                        (env HUSH_MAX_REQUESTS_PER_SOCKET; default ${HTTP_DEFAULTS.maxRequestsPerSocket})`;

/** The HTTP timeouts and caps given by flags or the environment (flags first). */
export function httpSettings(
  values: { readonly [F in HttpFlag]?: string | undefined },
  io: CliIo,
  command: string,
): Pick<BuildAppOptions, HttpOption> {
  const settings: Partial<Record<HttpOption, number>> = {};
  for (const [flag, variable, option] of HTTP_SETTINGS) {
    const text = values[flag] ?? (io.env[variable] || undefined);
    if (text === undefined) continue;
    if (!/^\d{1,15}$/.test(text)) {
      throw usageError(
        `--${flag} (or ${variable}) must be a whole number, 0 or more, not "${text}".`,
        command,
      );
    }
    settings[option] = Number(text);
  }
  return settings;
}

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
