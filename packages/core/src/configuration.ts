import { type HushConfig, loadConfig } from "@hush/config";
import { createClient } from "@hush/graphql";
import { SecretError, SecretErrorCode } from "./errors.js";
import type { SecretsClient } from "./secrets-client.js";
import { SingleFlightCache } from "./single-flight-cache.js";

/** Options for {@link configure}. Everything is optional; unset options use their defaults. */
export interface ConfigureOptions {
  /**
   * A loaded configuration to use as it is, instead of loading one on first use.
   * @default loadConfig({ env, userConfigPath, homeDir }) from `@hush/config`
   */
  config?: HushConfig;
  /**
   * The environment: read for `HUSH__…` overrides and by `EnvVarSecret`.
   * @default process.env
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The user config file.
   * @default env.HUSH__USER_CONFIG_PATH, else ~/.hush/config.toml
   */
  userConfigPath?: string;
  /**
   * The home folder, for `~` and the default config file.
   * @default os.homedir()
   */
  homeDir?: string;
  /**
   * The client for the hush server.
   * @default createClient({ endpoint: config.cloud.endpoint, apiKey: config.cloud.api_key })
   */
  client?: SecretsClient;
  /**
   * How long a value read from the server is cached, in milliseconds; 0 turns caching off.
   * @default config.cloud.secret_cache_ttl_ms (0 unless set)
   */
  cacheTtlMs?: number;
}

/** One configuration's state; replaced as a whole by `configure()`. */
export interface Session {
  readonly config: HushConfig;
  readonly cacheTtlMs: number;
  client(): SecretsClient;
  readonly values: SingleFlightCache<unknown>;
  readonly names: SingleFlightCache<readonly string[]>;
}

interface State {
  readonly options: ConfigureOptions;
  session?: Session;
}

let state: State = { options: {} };

/**
 * Sets how secrets are resolved, replacing any earlier configuration and dropping its cached
 * values and client. Optional: without it, the config is loaded on first use from the user's
 * config file and `HUSH__…` environment variables.
 *
 * @example
 * configure({ cacheTtlMs: 60_000 }); // cache server values for a minute
 * configure({ config: loadConfig({ userConfigPath: "./hush.toml" }) });
 */
export function configure(options: ConfigureOptions = {}): void {
  const { cacheTtlMs } = options;
  if (cacheTtlMs !== undefined && !(Number.isFinite(cacheTtlMs) && cacheTtlMs >= 0)) {
    throw new SecretError(
      SecretErrorCode.BAD_INPUT,
      `cacheTtlMs must be a number of milliseconds, 0 or more, not ${String(cacheTtlMs)}.`,
    );
  }
  state = { options: { ...options } };
}

/** Back to the defaults: the config is loaded again on next use; caches and client are dropped. */
export function resetConfiguration(): void {
  configure({});
}

/** The environment `EnvVarSecret` reads; needs no config, so a broken config file cannot fail it. */
export function currentEnv(): Readonly<Record<string, string | undefined>> {
  return state.options.env ?? process.env;
}

/** The current configuration's state, loading the config on first use. */
export function currentSession(): Session {
  const current = state;
  current.session ??= createSession(current.options);
  return current.session;
}

function createSession(options: ConfigureOptions): Session {
  const env = options.env ?? process.env;
  const config =
    options.config ??
    loadConfig({
      env,
      ...(options.userConfigPath === undefined ? {} : { userConfigPath: options.userConfigPath }),
      ...(options.homeDir === undefined ? {} : { homeDir: options.homeDir }),
    });
  const cacheTtlMs = options.cacheTtlMs ?? config.cloud.secret_cache_ttl_ms ?? 0;
  let client = options.client;
  return {
    config,
    cacheTtlMs,
    // Created on first server call and kept, so its keep-alive connections are reused.
    client: () => {
      client ??= createClient({ endpoint: config.cloud.endpoint, apiKey: config.cloud.api_key });
      return client;
    },
    values: new SingleFlightCache(cacheTtlMs),
    names: new SingleFlightCache(cacheTtlMs),
  };
}
