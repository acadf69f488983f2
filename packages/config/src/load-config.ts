import { homedir } from "node:os";
import { fillDefaults, refillDefaults } from "./defaults.js";
import { applyEnvOverrides } from "./env-overrides.js";
import { positionKey } from "./locate-keys.js";
import { OriginTracker } from "./origins.js";
import { Resolver } from "./resolver.js";
import { authFilePath, savedDefaultEndpoint } from "./saved-credentials.js";
import type { Table } from "./tables.js";
import type { HushConfig, LoadConfigOptions, LoadedConfig } from "./types.js";
import { findUnknownKeys, unknownKeyError, warnUnknownKeys } from "./unknown-keys.js";
import { parseUserConfig, readUserConfigFile } from "./user-config-file.js";
import { validate } from "./validate.js";

/**
 * Loads the configuration, synchronously: built-in defaults, then the user file
 * (`~/.hush/config.toml`, or `HUSH__USER_CONFIG_PATH`), then `HUSH__SECTION__KEY` environment
 * overrides; then `$VAR`, `${VAR}`, `${section.key}` and `~` are interpolated and the known keys
 * checked. The result is plain, deep-frozen objects. A local secret whose whole value is one
 * unset environment reference (`"$NAME"`) is left out; unknown keys in hush's sections are
 * printed once as a process warning (an error with `strict: true`).
 *
 * @throws ConfigError for a bad file, value, reference or override, naming where it is; with
 * `strict: true`, also for an unknown key.
 * @example
 * const config = loadConfig();
 * if (config.backend === "cloud" && config.cloud.use_local_secrets === false) …
 */
export function loadConfig(options: LoadConfigOptions = {}): HushConfig {
  return load(options, false).config;
}

/**
 * {@link loadConfig}, plus where every leaf value came from (the defaults, the user file with
 * line and column, or an environment variable), by dotted path, and which user file was read.
 *
 * @example
 * const { origins } = loadConfigWithOrigins();
 * origins.get("cloud.endpoint"); // { kind: "env", variable: "HUSH__CLOUD__ENDPOINT" }
 */
export function loadConfigWithOrigins(options: LoadConfigOptions = {}): LoadedConfig {
  return load(options, true);
}

function load(options: LoadConfigOptions, recordOrigins: boolean): LoadedConfig {
  const env = options.env ?? process.env;
  const home = options.homeDir ?? homedir();
  const file = readUserConfigFile(options.userConfigPath, env, home);
  const tree: Table = file.text === undefined ? {} : parseUserConfig(file.path, file.text, home);
  const defaults = fillDefaults(tree);
  const fromEnv = applyEnvOverrides(tree, env);
  if (fromEnv.size > 0) refillDefaults(tree, defaults, fromEnv);
  const origins = new OriginTracker({
    file: file.text === undefined ? undefined : { path: file.path, text: file.text },
    defaults,
    env: fromEnv,
    auth: useSavedDefaultEndpoint(tree, defaults, fromEnv, home),
    record: recordOrigins,
  });
  const resolver = new Resolver(tree, env, home, origins);
  resolver.resolveAll();
  validate(tree, origins, home, (key) => resolver.isSecret(key));
  const unknownKeys = findUnknownKeys(tree, origins, home);
  const [firstUnknown] = unknownKeys;
  if (options.strict === true && firstUnknown !== undefined) {
    throw unknownKeyError(firstUnknown, home);
  }
  if (options.warnUnknownKeys !== false) warnUnknownKeys(unknownKeys);
  return {
    config: tree as unknown as HushConfig,
    origins: origins.origins,
    userConfigPath: file.path,
    userConfigFound: file.text !== undefined,
    isSecret: (key) => resolver.isSecret(key),
    unknownKeys,
    unsetReferences: resolver.unsetReferences,
  };
}

/**
 * When neither the file nor the environment names `[cloud] endpoint`, the server `hush login`
 * saved as the default in auth.toml replaces the built-in one (below both, above the default).
 *
 * @returns the path it set, with the auth file, for the origins.
 */
function useSavedDefaultEndpoint(
  tree: Table,
  defaults: ReadonlySet<string>,
  fromEnv: ReadonlyMap<string, string>,
  home: string,
): ReadonlyMap<string, string> | undefined {
  // As OriginTracker decides: the deeper of a filled default and an override wins.
  const paths = [positionKey(["cloud"]), positionKey(["cloud", "endpoint"])];
  const depth = (has: (path: string) => boolean) => paths.findLastIndex(has);
  if (depth((p) => defaults.has(p)) <= depth((p) => fromEnv.has(p))) return undefined;
  const endpoint = savedDefaultEndpoint(home);
  if (endpoint === undefined) return undefined;
  (tree.cloud as Table).endpoint = endpoint;
  return new Map([[paths[1] as string, authFilePath(home)]]);
}
