import { homedir } from "node:os";
import { resolve } from "node:path";
import {
  authFilePath,
  type ConfigOrigin,
  type HushConfig,
  isExpired,
  type LoadedConfig,
  loadConfigWithOrigins,
  savedCredentials,
} from "@hush/config";
import { createClient } from "@hush/graphql";
import { SecretError, SecretErrorCode } from "./errors.js";
import { FallbackFile, fallbackKey } from "./fallback-file.js";
import { expiredLoginError, type IdentityTokens, identityFromConfig } from "./identity-tokens.js";
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
   * Where `config` came from, so that messages name the file, line or variable that set a value:
   * `loadConfigWithOrigins()`'s result and the home folder. Without it, messages about a given
   * `config` say only that it was given to configure().
   */
  sources?: ConfigSources;
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
   * @default createClient({ endpoint: config.cloud.endpoint, apiKey: config.cloud.api_key,
   * environment: config.cloud.environment }), with the token `hush login` saved for that endpoint
   * when `api_key` is empty
   */
  client?: SecretsClient;
  /**
   * How long a value read from the server is cached, in milliseconds; 0 turns caching off.
   * @default [cloud] cache_ttl in seconds, else the older [cloud] secret_cache_ttl_ms (0 unless set)
   */
  cacheTtlMs?: number;
  /**
   * How long past `cacheTtlMs` a cached value is still returned at once while one background read
   * refreshes it, in milliseconds.
   * @default [cloud] stale_ttl in seconds (0 unless set)
   */
  staleTtlMs?: number;
}

/** Where the configuration came from, for messages; absent for a config given to configure(). */
export type ConfigSources = Pick<
  LoadedConfig,
  "userConfigPath" | "userConfigFound" | "unsetReferences" | "unknownKeys" | "origins"
> & {
  /** The home folder, shown as `~` in paths. */
  readonly home: string;
};

/**
 * Where the API token comes from: `[cloud] api_key`, the auth file of `hush login`, a workload
 * identity exchanged for short-lived tokens, or nowhere.
 */
export type TokenSource = "config" | "login" | "identity" | "none";

/**
 * The configuration in effect and what was built from it: the config and where it came from, the
 * API token, the client, the value caches and the fallback file. Replaced as a whole by
 * `configure()`.
 */
export interface ActiveConfiguration {
  readonly config: HushConfig;
  readonly sources: ConfigSources | undefined;
  /** `[cloud] environment`, trimmed; `""` when none is named (the server chooses). */
  readonly environment: string;
  /**
   * The API token for `[cloud] endpoint`: `[cloud] api_key` when set, else the one `hush login`
   * saved in `~/.hush/auth.toml` unless it has expired (read on first use: a local-only program
   * never reads it), else the workload identity of `[cloud] identity_token_file` or `identity`,
   * whose tokens are exchanged when needed (`apiKey` is then `""`).
   * @throws ConfigError when that file exists but cannot be read or parsed.
   */
  token(): {
    readonly apiKey: string;
    readonly from: TokenSource;
    /** Where it came from, when known: a file line, a variable, or the auth file. */
    readonly origin?: ConfigOrigin;
    /** The identity tokens come from, for `from: "identity"`. */
    readonly identity?: IdentityTokens;
    /** When the token `hush login --oidc` saved expired; it is not sent. */
    readonly expiredAt?: string;
  };
  client(): SecretsClient;
  readonly values: SingleFlightCache<unknown>;
  readonly names: SingleFlightCache<readonly string[]>;
  /** The `[cloud] fallback_file`, when one is set and a key can be had. */
  fallback(): FallbackFile | undefined;
  /** `[cloud] fallback_max_age` in milliseconds; 0: no limit. */
  readonly fallbackMaxAgeMs: number;
}

interface State {
  readonly options: ConfigureOptions;
  active?: ActiveConfiguration;
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
  for (const name of ["cacheTtlMs", "staleTtlMs"] as const) {
    const ms = options[name];
    if (ms !== undefined && !(Number.isFinite(ms) && ms >= 0)) {
      throw new SecretError(
        SecretErrorCode.BAD_INPUT,
        `${name} must be a number of milliseconds, 0 or more, not ${String(ms)}.`,
      );
    }
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
export function activeConfiguration(): ActiveConfiguration {
  const current = state;
  current.active ??= createActiveConfiguration(current.options);
  return current.active;
}

function createActiveConfiguration(options: ConfigureOptions): ActiveConfiguration {
  const env = options.env ?? process.env;
  let config: HushConfig;
  let sources: ConfigSources | undefined;
  if (options.config === undefined) {
    const loaded = loadConfigWithOrigins({
      env,
      ...(options.userConfigPath === undefined ? {} : { userConfigPath: options.userConfigPath }),
      ...(options.homeDir === undefined ? {} : { homeDir: options.homeDir }),
    });
    config = loaded.config;
    sources = { ...loaded, home: options.homeDir ?? homedir() };
  } else {
    config = options.config;
    sources = options.sources;
  }
  const home = options.homeDir ?? sources?.home ?? homedir();
  const { cloud } = config;
  // cache_ttl (seconds) replaces secret_cache_ttl_ms, which keeps working when cache_ttl is unset.
  const cacheTtlMs =
    options.cacheTtlMs ??
    (cloud.cache_ttl === undefined ? (cloud.secret_cache_ttl_ms ?? 0) : cloud.cache_ttl * 1000);
  const staleTtlMs = options.staleTtlMs ?? (cloud.stale_ttl ?? 0) * 1000;
  // One environment per configuration: its caches and its part of the fallback file hold that
  // environment's values only. "": none named, the server chooses.
  const environment = (cloud.environment ?? "").trim();
  let client = options.client;
  let fallback: FallbackFile | null | undefined;
  let token: ReturnType<ActiveConfiguration["token"]> | undefined;
  const tokenOf = () => {
    if (token === undefined && cloud.api_key !== "") {
      const origin = sources?.origins.get("cloud.api_key");
      token = {
        apiKey: cloud.api_key,
        from: "config",
        ...(origin === undefined ? {} : { origin }),
      };
    } else if (token === undefined) {
      const saved = savedCredentials(cloud.endpoint, home);
      const identity = identityFromConfig(cloud, { endpoint: cloud.endpoint, env });
      const login = { kind: "login", file: authFilePath(home) } as const;
      if (saved !== undefined && !isExpired(saved)) {
        token = { apiKey: saved.api_key, from: "login", origin: login };
      } else if (identity !== undefined) {
        token = { apiKey: "", from: "identity", identity };
      } else if (saved?.expires_at !== undefined) {
        token = { apiKey: "", from: "login", origin: login, expiredAt: saved.expires_at };
      } else {
        token = { apiKey: "", from: "none" };
      }
    }
    return token;
  };
  return {
    config,
    sources,
    environment,
    token: tokenOf,
    // Created on first server call and kept, so its keep-alive connections are reused.
    client: () => {
      if (client === undefined) {
        const { apiKey, identity, expiredAt } = tokenOf();
        if (expiredAt !== undefined) {
          throw expiredLoginError(cloud.endpoint, expiredAt, authFilePath(home));
        }
        client = createClient({
          endpoint: cloud.endpoint,
          ...(identity === undefined ? { apiKey } : { tokenProvider: identity }),
          ...(environment === "" ? {} : { environment }),
        });
      }
      return client;
    },
    values: new SingleFlightCache(cacheTtlMs, staleTtlMs),
    names: new SingleFlightCache(cacheTtlMs, staleTtlMs),
    fallback: () => {
      if (fallback === undefined) {
        const path = cloud.fallback_file ?? "";
        const key =
          path === ""
            ? undefined
            : fallbackKey(cloud.fallback_key ?? "", tokenOrNone(tokenOf).apiKey);
        fallback =
          key === undefined
            ? null
            : new FallbackFile(resolve(path), cloud.endpoint, key, { environment });
        if (path !== "" && key === undefined) {
          process.emitWarning(
            "[cloud] fallback_file is set, but there is no key to encrypt it with, so it is not used. " +
              "Set HUSH__CLOUD__FALLBACK_KEY (32 random bytes in base64) or [cloud] api_key.",
            { type: "HushFallbackWarning", code: "HUSH_FALLBACK_NO_KEY" },
          );
        }
      }
      return fallback ?? undefined;
    },
    fallbackMaxAgeMs: (cloud.fallback_max_age ?? 0) * 1000,
  };
}

/**
 * The active configuration's token, or none when the auth file cannot be read: for a fallback key or a
 * message, where the client's own error already reports the file.
 */
export function tokenOrNone(
  token: ActiveConfiguration["token"],
): ReturnType<ActiveConfiguration["token"]> {
  try {
    return token();
  } catch {
    return { apiKey: "", from: "none" };
  }
}
