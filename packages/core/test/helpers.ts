import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { onTestFinished } from "vitest";
import { type ConfigureOptions, configure, resetConfiguration } from "../src/index.js";

/** A temp folder holding `files` (relative path → content), removed when the test finishes. */
export function testDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "hush-core-"));
  for (const [path, content] of Object.entries(files)) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

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
