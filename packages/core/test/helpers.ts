import { join } from "node:path";
import { testDir } from "@hush/test-support";
import { onTestFinished } from "vitest";
import { type ConfigureOptions, configure, resetConfiguration } from "../src/index.js";

export { testDir };

/**
 * Configures `@hush/core` from a config file with `toml` in a temp home, the way a user's program
 * gets it (loaded lazily on first use), with `env` as the whole environment, plus `extra` options.
 * Returns the file and the options, to configure again with more. Reset after the test.
 */
export function useConfig(
  toml: string,
  env: Record<string, string> = {},
  extra: ConfigureOptions = {},
): { file: string; options: ConfigureOptions } {
  const home = testDir({ ".hush/config.toml": toml });
  const options: ConfigureOptions = { homeDir: home, env, ...extra };
  configure(options);
  onTestFinished(resetConfiguration);
  return { file: join(home, ".hush/config.toml"), options };
}
