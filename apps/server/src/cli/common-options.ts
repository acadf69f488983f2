import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { Option } from "commander";
import { type BuildAppOptions, HTTP_DEFAULTS } from "../http/app.js";
import type { HushService } from "../service/hush-service.js";
import { openService } from "../service/open-service.js";
import { DATABASE_FILE_NAME } from "../storage/open-database.js";
import { CliError, usageError } from "./cli-error.js";
import type { CliIo } from "./io.js";

/** The folder used when neither `--data-dir` nor `HUSH_DATA_DIR` is given. */
export const DEFAULT_DATA_DIR = ".hush-data";
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_PORT = 4200;

/**
 * An option and its help: what it sets, then the environment variable it falls back on and its
 * default, from the constants the commands read them from.
 */
export function flag(
  flags: string,
  about: string,
  more: { env?: string; default?: string | number } = {},
): Option {
  const notes = [
    more.env === undefined ? undefined : `env ${more.env}`,
    more.default === undefined ? undefined : `default ${more.default}`,
  ].filter((note) => note !== undefined);
  return new Option(flags, notes.length === 0 ? about : `${about} (${notes.join("; ")})`);
}

/** The flags every command that opens the data takes. */
export interface StorageFlags {
  dataDir?: string | undefined;
  databaseUrl?: string | undefined;
}

export function storageOptions(): Option[] {
  return [
    flag("--data-dir <dir>", "The data folder: database, WAL and master.key", {
      env: "HUSH_DATA_DIR",
      default: `./${DEFAULT_DATA_DIR}`,
    }),
    flag(
      "--database-url <url>",
      "Store in PostgreSQL instead of SQLite, e.g. postgres://user@host/db; prefer the env: arguments show up in ps",
      { env: "HUSH_DATABASE_URL" },
    ),
  ];
}

/** Where the server listens. */
export interface ListenFlags {
  host?: string | undefined;
  port?: string | undefined;
}

export function listenOptions(): Option[] {
  return [
    flag("--host <host>", "The address to listen on", { env: "HUSH_HOST", default: DEFAULT_HOST }),
    flag("--port <port>", "The port to listen on, 0 for any free one", {
      env: "HUSH_PORT",
      default: DEFAULT_PORT,
    }),
  ];
}

type HttpOption = keyof typeof HTTP_DEFAULTS;

// The HTTP server's timeouts and caps: flag (its camel-cased name is buildApp's option), environment
// variable and help.
const HTTP_SETTINGS: ReadonlyArray<{ flag: string; env: string; about: string; zero?: string }> = [
  {
    flag: "--request-timeout-ms <ms>",
    env: "HUSH_REQUEST_TIMEOUT_MS",
    about: "A request (headers and body) must arrive within this time, or get 408",
    zero: "no limit",
  },
  {
    flag: "--headers-timeout-ms <ms>",
    env: "HUSH_HEADERS_TIMEOUT_MS",
    about: "The same for the headers alone; at most the request timeout",
  },
  {
    flag: "--keep-alive-timeout-ms <ms>",
    env: "HUSH_KEEP_ALIVE_TIMEOUT_MS",
    about: "How long an idle keep-alive connection stays open",
  },
  {
    flag: "--connection-timeout-ms <ms>",
    env: "HUSH_CONNECTION_TIMEOUT_MS",
    about: "Closes a connection silent for this long",
    zero: "never",
  },
  {
    flag: "--max-connections <n>",
    env: "HUSH_MAX_CONNECTIONS",
    about: "Connections open at once; more are closed at once",
    zero: "no cap",
  },
  {
    flag: "--max-requests-per-socket <n>",
    env: "HUSH_MAX_REQUESTS_PER_SOCKET",
    about: "Requests per keep-alive connection",
    zero: "no cap",
  },
];

/** The HTTP server's timeouts and connection caps, by buildApp's option name. */
export type HttpFlags = { [K in HttpOption]?: string | undefined };

const httpOptionOf = (option: Option) => option.attributeName() as HttpOption;

export function httpOptions(): Option[] {
  return HTTP_SETTINGS.map(({ flag: flags, env, about, zero }) => {
    const option = new Option(flags);
    const fallback = HTTP_DEFAULTS[httpOptionOf(option)];
    return flag(flags, about, {
      env,
      default: zero === undefined ? fallback : `${fallback}; 0: ${zero}`,
    });
  });
}

/** The HTTP timeouts and caps given by flags or the environment (flags first). */
export function httpSettings(
  values: HttpFlags,
  io: CliIo,
  command: string,
): Pick<BuildAppOptions, HttpOption> {
  const settings: Partial<Record<HttpOption, number>> = {};
  for (const { flag: flags, env } of HTTP_SETTINGS) {
    const option = new Option(flags);
    const name = httpOptionOf(option);
    const text = values[name] ?? (io.env[env] || undefined);
    if (text === undefined) continue;
    if (!/^\d{1,15}$/.test(text)) {
      throw usageError(
        `${option.long} (or ${env}) must be a whole number, 0 or more, not "${text}".`,
        command,
      );
    }
    settings[name] = Number(text);
  }
  return settings;
}

export interface StorageSettings {
  dataDir: string;
  databaseUrl: string | undefined;
}

export function storageSettings(values: StorageFlags, io: CliIo): StorageSettings {
  const dataDir = values.dataDir ?? io.env.HUSH_DATA_DIR ?? DEFAULT_DATA_DIR;
  if (dataDir === "") throw usageError("--data-dir must not be empty.");
  const databaseUrl = values.databaseUrl ?? (io.env.HUSH_DATABASE_URL || undefined);
  return { dataDir: resolve(io.cwd, dataDir), databaseUrl };
}

export function listenSettings(
  values: ListenFlags,
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

/** The flag of `start` and `trust create` that lets trusts name private network issuers. */
export interface PrivateIssuersFlags {
  allowPrivateIssuers?: boolean | undefined;
}

export function privateIssuersOption(): Option {
  return flag(
    "--allow-private-issuers",
    "Let identity trusts name issuers on private network addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7), e.g. a cluster's own",
    { env: "HUSH_ALLOW_PRIVATE_ISSUERS=1" },
  );
}

/** Whether private issuers are allowed, by the flag or `HUSH_ALLOW_PRIVATE_ISSUERS=1`. */
export function allowPrivateIssuers(values: PrivateIssuersFlags, io: CliIo): boolean {
  return values.allowPrivateIssuers === true || io.env.HUSH_ALLOW_PRIVATE_ISSUERS === "1";
}

/**
 * Runs `work` on the service of a data folder `init` set up, closed after it: what the offline
 * token and tenant commands share.
 */
export async function withInitialisedService<T>(
  values: StorageFlags & PrivateIssuersFlags,
  io: CliIo,
  work: (service: HushService) => Promise<T>,
): Promise<T> {
  const storage = storageSettings(values, io);
  requireInitialised(storage);
  const service = await openService({
    ...storage,
    env: io.env,
    allowPrivateIssuers: allowPrivateIssuers(values, io),
  });
  try {
    return await work(service);
  } finally {
    await service.close();
  }
}
