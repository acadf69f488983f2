import { join } from "node:path";
import { testDir } from "@hush/test-support";
import { ConfigError, type LoadedConfig, loadConfigWithOrigins } from "../src/index.js";

export { testDir };

export interface Loaded extends LoadedConfig {
  /** The temp home folder. */
  readonly home: string;
  /** `<home>/.hush/config.toml`. */
  readonly file: string;
}

/**
 * Loads the config the way a user's program gets it: `toml` as `~/.hush/config.toml` in a temp
 * home (no file when undefined), and `env` as the whole environment.
 */
export function load(toml: string | undefined, env: Record<string, string> = {}): Loaded {
  const home = testDir(toml === undefined ? {} : { ".hush/config.toml": toml });
  const file = join(home, ".hush", "config.toml");
  return { ...loadConfigWithOrigins({ homeDir: home, env }), home, file };
}

/** The ConfigError `fn` throws; fails the test if it throws nothing or something else. */
export function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, but nothing was thrown");
}

/** The ConfigError from loading `toml` with `env` (see {@link load}). */
export function loadError(toml: string | undefined, env: Record<string, string> = {}): ConfigError {
  return configError(() => load(toml, env));
}

/** Any string as a TOML basic string: control characters, quotes and backslashes escaped. */
export function tomlString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    if (char === '"' || char === "\\") out += `\\${char}`;
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += char;
  }
  return `${out}"`;
}
