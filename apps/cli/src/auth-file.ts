import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import {
  authFilePath,
  DEFAULT_ENDPOINT_KEY,
  endpointKey,
  readAuthFile,
  type SavedCredentials,
  savedDefaultEndpoint,
} from "@hush/config";
import { writePrivateFileSync } from "@hush/config/private-file";
import { stringify } from "smol-toml";

const HEADER =
  "# hush credentials, written by `hush login` and `hush logout`: one table per server endpoint,\n" +
  "# and default_endpoint, the server used when the config names none.\n" +
  "# Keep this file private (mode 0600); the config's [cloud] api_key wins when it is set.\n\n";

/**
 * `~/.hush/auth.toml`: API tokens per server endpoint, kept apart from the config (mode 0600).
 * `@hush/config` reads it (so `Secret.get()` uses a token saved by `hush login` too); the CLI
 * writes it.
 */
export class AuthFile {
  readonly path: string;
  readonly #home: string;

  constructor(home: string) {
    this.#home = home;
    this.path = authFilePath(home);
  }

  /**
   * The saved token for `endpoint`, if any.
   * @throws ConfigError when the file cannot be used: other users can read or write it (the
   * `chmod 600` to run is in the message), it cannot be read, or it is not valid TOML.
   */
  get(endpoint: string): SavedCredentials | undefined {
    const saved = this.#read()[endpointKey(endpoint)];
    return typeof saved?.api_key === "string" && saved.api_key !== "" ? saved : undefined;
  }

  /** The server `hush login` saved as the default (used when the config names none). */
  defaultEndpoint(): string | undefined {
    return savedDefaultEndpoint(this.#home);
  }

  /**
   * Saves the token (and its expiry, for one `hush login --oidc` exchanged) for `endpoint`, and
   * `endpoint` as the default server when `asDefault`, replacing the file atomically with mode
   * 0600.
   */
  set(endpoint: string, credentials: SavedCredentials, asDefault = false): void {
    const all = this.#read();
    all[endpointKey(endpoint)] =
      credentials.expires_at === undefined
        ? { api_key: credentials.api_key }
        : { api_key: credentials.api_key, expires_at: credentials.expires_at };
    this.#write(all, asDefault ? endpointKey(endpoint) : this.defaultEndpoint());
  }

  /** Forgets `endpoint`'s token, and it as the default server; false when no token was saved. */
  delete(endpoint: string): boolean {
    const all = this.#read();
    const key = endpointKey(endpoint);
    if (!Object.hasOwn(all, key)) return false;
    delete all[key];
    const saved = this.defaultEndpoint();
    this.#write(all, saved !== undefined && endpointKey(saved) === key ? undefined : saved);
    return true;
  }

  #read(): Record<string, SavedCredentials> {
    return readAuthFile(this.path, this.#home);
  }

  #write(all: Record<string, SavedCredentials>, defaultEndpoint: string | undefined): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const file =
      defaultEndpoint === undefined ? all : { [DEFAULT_ENDPOINT_KEY]: defaultEndpoint, ...all };
    writePrivateFileSync(this.path, HEADER + stringify(file), 0o600);
  }
}
