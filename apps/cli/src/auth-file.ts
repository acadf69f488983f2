import { mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { parse, stringify } from "smol-toml";
import { writeFileAtomic } from "./atomic-write.js";
import { CliError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";

/** One endpoint's saved credentials. */
export interface SavedCredentials {
  readonly api_key: string;
}

const HEADER =
  "# hush credentials, written by `hush login` and `hush logout`: one table per server endpoint.\n" +
  "# Keep this file private (mode 0600); the config's [cloud] api_key wins when it is set.\n\n";

/** `~/.hush/auth.toml`: API tokens per server endpoint, kept apart from the config (mode 0600). */
export class AuthFile {
  readonly path: string;

  constructor(home: string) {
    this.path = join(home, ".hush", "auth.toml");
  }

  /** The saved token for `endpoint`, if any. */
  get(endpoint: string): SavedCredentials | undefined {
    const saved = this.#read()[endpointKey(endpoint)];
    return typeof saved?.api_key === "string" && saved.api_key !== "" ? saved : undefined;
  }

  /** Whether the file can be read by other users (it should be 0600). */
  isTooOpen(): boolean {
    try {
      return (statSync(this.path).mode & 0o077) !== 0;
    } catch {
      return false;
    }
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
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw new CliError(
        ExitCode.ERROR,
        "AUTH_FILE_UNREADABLE",
        `${this.path} cannot be read (${(error as NodeJS.ErrnoException).code}). Fix its permissions (chmod 600), or remove it and run \`hush login\` again.`,
      );
    }
    try {
      const all: Record<string, SavedCredentials> = {};
      for (const [endpoint, saved] of Object.entries(parse(text))) {
        const apiKey = (saved as { api_key?: unknown } | null)?.api_key;
        if (typeof apiKey === "string") all[endpoint] = { api_key: apiKey };
      }
      return all;
    } catch {
      // The parser's message quotes the line, which may hold a token.
      throw new CliError(
        ExitCode.ERROR,
        "AUTH_FILE_INVALID",
        `${this.path} is not valid TOML. Remove it and run \`hush login\` again.`,
      );
    }
  }

  #write(all: Record<string, SavedCredentials>): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    writeFileAtomic(this.path, HEADER + stringify(all), 0o600);
  }
}

/** One spelling per endpoint: `http://host:4200/` and `http://host:4200` are the same server. */
export function endpointKey(endpoint: string): string {
  return endpoint.trim().replace(/\/+$/, "");
}
