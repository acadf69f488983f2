import { join } from "node:path";
import { parse } from "smol-toml";
import { ConfigError, ConfigErrorCode } from "./config-error.js";
import { displayPath } from "./error-site.js";
import { readPrivateFile } from "./private-file.js";

/** One server endpoint's credentials saved by `hush login`. */
export interface SavedCredentials {
  readonly api_key: string;
  /**
   * When the token stops working, as an ISO 8601 date: set for the short-lived token
   * `hush login --oidc` exchanged an identity token for; absent for an API token.
   */
  readonly expires_at?: string;
}

/**
 * Where `hush login` saves API tokens, one table per server endpoint, apart from the config (as
 * Prefect 1.x kept `~/.prefect/auth.toml`): `<homeDir>/.hush/auth.toml`.
 */
export function authFilePath(homeDir: string): string {
  return join(homeDir, ".hush", "auth.toml");
}

/** One spelling per endpoint: `http://host:4200/` and `http://host:4200` are the same server. */
export function endpointKey(endpoint: string): string {
  return endpoint.trim().replace(/\/+$/, "");
}

/**
 * Every endpoint's saved credentials in the auth file at `path`; none when it does not exist.
 *
 * @throws ConfigError `FILE_TOO_OPEN` when other users can read or write it (on POSIX systems),
 * `FILE_UNREADABLE` or `TOML_SYNTAX` (the file's text is never quoted: it holds tokens), each
 * saying how to mend it.
 */
export function readAuthFile(path: string, homeDir: string): Record<string, SavedCredentials> {
  let text: string;
  try {
    text = readPrivateFile(path, homeDir);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return {};
    throw new ConfigError(
      ConfigErrorCode.FILE_UNREADABLE,
      `${displayPath(path, homeDir)} cannot be read (${code}). Fix its permissions (chmod 600), or remove it and run \`hush login\` again.`,
      { file: path },
    );
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = parse(text);
  } catch {
    // The parser's message quotes the line, which may hold a token.
    throw new ConfigError(
      ConfigErrorCode.TOML_SYNTAX,
      `${displayPath(path, homeDir)} is not valid TOML. Remove it and run \`hush login\` again.`,
      { file: path },
    );
  }
  const all: Record<string, SavedCredentials> = {};
  for (const [endpoint, saved] of Object.entries(parsed)) {
    // Top-level keys such as default_endpoint are not endpoints.
    const { api_key: apiKey, expires_at: expiresAt } = (saved ?? {}) as Record<string, unknown>;
    if (typeof apiKey !== "string") continue;
    all[endpoint] =
      typeof expiresAt === "string"
        ? { api_key: apiKey, expires_at: expiresAt }
        : { api_key: apiKey };
  }
  return all;
}

/**
 * The top-level key of the auth file naming the server `hush login` last logged in to while the
 * config named none: the endpoint used when neither the config file nor `HUSH__CLOUD__ENDPOINT`
 * sets one (like `gh auth login`).
 */
export const DEFAULT_ENDPOINT_KEY = "default_endpoint";

/**
 * The endpoint `hush login` saved as the default in `<homeDir>/.hush/auth.toml`; undefined when
 * there is none, or the file cannot be read or others may change it (reading its token reports
 * that), or it is not an http(s) URL.
 */
export function savedDefaultEndpoint(homeDir: string): string | undefined {
  let text: string;
  try {
    text = readPrivateFile(authFilePath(homeDir), homeDir);
  } catch {
    return undefined;
  }
  let endpoint: unknown;
  try {
    endpoint = parse(text)[DEFAULT_ENDPOINT_KEY];
  } catch {
    return undefined;
  }
  return typeof endpoint === "string" && /^https?:\/\/[^\s]+$/i.test(endpoint)
    ? endpoint
    : undefined;
}

/**
 * The credentials `hush login` saved for `endpoint` in `<homeDir>/.hush/auth.toml`; undefined
 * when there are none. The config's `[cloud] api_key` (or `HUSH__CLOUD__API_KEY`) wins over them.
 *
 * @throws ConfigError when the file exists but cannot be read or parsed.
 */
export function savedCredentials(endpoint: string, homeDir: string): SavedCredentials | undefined {
  const saved = readAuthFile(authFilePath(homeDir), homeDir)[endpointKey(endpoint)];
  return saved !== undefined && saved.api_key !== "" ? saved : undefined;
}

/**
 * Whether saved credentials have stopped working at `now`: a token `hush login --oidc` saved
 * whose `expires_at` has passed (or cannot be read as a date). An API token never expires here;
 * the server says when it has.
 */
export function isExpired(saved: SavedCredentials, now = Date.now()): boolean {
  if (saved.expires_at === undefined) return false;
  const expiresAt = Date.parse(saved.expires_at);
  return !(expiresAt > now);
}
