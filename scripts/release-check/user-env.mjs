import { existsSync, writeFileSync } from "node:fs";
import { delimiter, join, relative, resolve } from "node:path";
import { root } from "../workspace-packages.mjs";
import { cleanEnv } from "./processes.mjs";
import { home } from "./temp.mjs";

/**
 * The outside user's environment: a fresh HOME whose .npmrc takes @hush/* from the local registry
 * (everything else from npm's usual registry), no npm or pnpm settings inherited from the workspace,
 * and no workspace folder on PATH.
 */
export function userEnvironment(registryUrl) {
  writeFileSync(
    join(home, ".npmrc"),
    `@hush:registry=${registryUrl}\nfund=false\naudit=false\nupdate-notifier=false\n`,
  );
  const env = cleanEnv();
  // Where better-sqlite3 finds no prebuilt binary to download (a network that reaches only the
  // npm registry), it compiles: with the running Node.js's own headers rather than downloaded ones.
  const headers = resolve(process.execPath, "..", "..");
  if (existsSync(join(headers, "include", "node", "common.gypi"))) env.npm_config_nodedir = headers;
  env.HOME = home;
  env.npm_config_userconfig = join(home, ".npmrc");
  env.npm_config_cache = join(home, ".npm");
  env.PATH = (env.PATH ?? "")
    .split(delimiter)
    .filter((entry) => entry && relative(root, entry).startsWith(".."))
    .join(delimiter);
  return env;
}
