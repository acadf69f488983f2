import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { authFilePath, endpointKey, readAuthFile, type SavedCredentials } from "@hush/config";
import { stringify } from "smol-toml";
import { writeFileAtomic } from "./atomic-write.js";

const HEADER =
  "# hush credentials, written by `hush login` and `hush logout`: one table per server endpoint.\n" +
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

  /** Saves `api_key` for `endpoint`, replacing the file atomically with mode 0600. */
  set(endpoint: string, credentials: SavedCredentials): void {
    const all = this.#read();
    all[endpointKey(endpoint)] = { api_key: credentials.api_key };
    this.#write(all);
  }

  /** Forgets `endpoint`'s token; false when none was saved. */
  delete(endpoint: string): boolean {
    const all = this.#read();
    const key = endpointKey(endpoint);
    if (!Object.hasOwn(all, key)) return false;
    delete all[key];
    this.#write(all);
    return true;
  }

  #read(): Record<string, SavedCredentials> {
    return readAuthFile(this.path, this.#home);
  }

  #write(all: Record<string, SavedCredentials>): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    writeFileAtomic(this.path, HEADER + stringify(all), 0o600);
  }
}
