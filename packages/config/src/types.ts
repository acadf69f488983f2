/** Where the server-side secrets live: a hush server in the cloud, a self-hosted one, or nowhere. */
export type Backend = "cloud" | "server" | "local";

/**
 * The loaded configuration: plain, deep-frozen objects. Known sections are typed; unknown
 * sections and keys are kept as they were written. Its keys are those of `CONFIG_KEYS`, whose
 * test checks this interface against the table at compile time.
 */
export interface HushConfig {
  /** @default "cloud" */
  readonly backend: Backend;
  readonly cloud: {
    /**
     * Whether `Secret.get()` stays with local secrets; `false` asks the server.
     * @default true
     */
    readonly use_local_secrets: boolean;
    /**
     * The hush server's base URL; GraphQL is served at `<endpoint>/graphql`.
     * @default "http://127.0.0.1:4200"
     */
    readonly endpoint: string;
    /** @default "" */
    readonly api_key: string;
    /**
     * A file holding a workload identity token (a JWT, e.g. a Kubernetes projected service
     * account token), exchanged for a short-lived API token when no API token is set; read
     * again at each exchange, as it is rotated. A relative path is from the working directory.
     */
    readonly identity_token_file?: string;
    /**
     * Where else an identity token comes from: `"github-actions"`, the workflow's OpenID Connect
     * token (from `ACTIONS_ID_TOKEN_REQUEST_URL` and `ACTIONS_ID_TOKEN_REQUEST_TOKEN`).
     */
    readonly identity?: "github-actions";
    /**
     * The audience identity tokens are issued for (`aud`), as the server's trust names it.
     * @default "hush"
     */
    readonly audience: string;
    /** The tenant an identity token is exchanged in; unset: the one whose trusts match it. */
    readonly tenant?: string;
    /**
     * The server environment secrets are read from and written to, e.g. `"staging"`. Unset or
     * "": the token's only environment when it is scoped to one, else the tenant's default.
     */
    readonly environment?: string;
    /**
     * How long a value read from the server is cached, in milliseconds; 0 turns caching off.
     * @default 0
     */
    readonly secret_cache_ttl_ms: number;
    /**
     * Seconds a value read from the server is served from memory before it is read again; 0 (or
     * unset) turns caching off, unless the older `secret_cache_ttl_ms` is set.
     */
    readonly cache_ttl?: number;
    /**
     * Seconds past `cache_ttl` during which a cached value is still returned at once while one
     * background read refreshes it; a failed refresh keeps it until this ends. Unset: 0.
     */
    readonly stale_ttl?: number;
    /**
     * A file that keeps an encrypted copy of the values read from the server, used only when the
     * server cannot be reached. Unset or "": no fallback file.
     */
    readonly fallback_file?: string;
    /**
     * The fallback file's key: 32 bytes, base64. Unset: derived from `api_key`. Usually given as
     * `HUSH__CLOUD__FALLBACK_KEY`.
     */
    readonly fallback_key?: string;
    /** Seconds after which the fallback file is too old to use; 0 (or unset): no limit. */
    readonly fallback_max_age?: number;
    readonly [key: string]: unknown;
  };
  readonly context: {
    /** Local secrets, by name; a value may be a nested table. @default {} */
    readonly secrets: Readonly<Record<string, unknown>>;
    readonly [key: string]: unknown;
  };
  readonly [section: string]: unknown;
}

/**
 * Where one config value came from. The loader records `default`, `file`, `env`, and `login` for
 * the default server `hush login` saved in `file` (auth.toml); a program that changes a value
 * after loading names its own reason: `login` for the API token `hush login` saved there, `flag`
 * for a command-line flag such as `--local`.
 */
export type ConfigOrigin =
  | { readonly kind: "default" }
  | { readonly kind: "file"; readonly file: string; readonly line: number; readonly column: number }
  | { readonly kind: "env"; readonly variable: string }
  | { readonly kind: "login"; readonly file: string }
  | { readonly kind: "flag"; readonly flag: string };

/** Options for {@link loadConfig}; all optional. */
export interface LoadConfigOptions {
  /**
   * The environment, read for `HUSH__…` overrides, `HUSH__USER_CONFIG_PATH` and `$NAME` references.
   * @default process.env
   */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * The user config file. Named explicitly, it must exist.
   * @default env.HUSH__USER_CONFIG_PATH, else `<homeDir>/.hush/config.toml`
   */
  userConfigPath?: string;
  /**
   * The home folder, for `~` and the default user file.
   * @default os.homedir()
   */
  homeDir?: string;
  /**
   * Whether an unknown key in a section hush owns is an error ({@link ConfigError} with code
   * `UNKNOWN_KEY`) rather than a warning.
   * @default false
   */
  strict?: boolean;
  /**
   * Whether unknown keys are printed as a process warning (once per process per message). A
   * program that shows {@link LoadedConfig.unknownKeys} itself turns this off.
   * @default true
   */
  warnUnknownKeys?: boolean;
}

/** A key hush does not know in a section it owns (top level, `[cloud]`, `[context]`). */
export interface UnknownConfigKey {
  /** The dotted key as written, such as `cloud.use_local_secret` or `context.secret`. */
  readonly key: string;
  readonly origin: ConfigOrigin;
  /** The known key it is most likely a typo of, such as `cloud.use_local_secrets`. */
  readonly suggestion: string | undefined;
  /**
   * One line for people, located like a ConfigError.
   * @example
   * // ~/.hush/config.toml:4:1: unknown key cloud.use_local_secret; did you mean cloud.use_local_secrets? hush ignores it.
   */
  readonly message: string;
}

/**
 * A local secret whose whole value is one environment reference (`"$NAME"` or `"${NAME}"`) to a
 * variable that is not set: it counts as not set locally, so it is absent from
 * `config.context.secrets`.
 */
export interface UnsetSecretReference {
  /** The dotted key holding the reference, such as `context.secrets.STRIPE_KEY`. */
  readonly key: string;
  /** The environment variable it names, such as `STRIPE_KEY`. */
  readonly variable: string;
  readonly origin: ConfigOrigin;
}

/** What {@link loadConfigWithOrigins} returns. */
export interface LoadedConfig {
  readonly config: HushConfig;
  /** The origin of every leaf value, by dotted path such as `cloud.endpoint`. */
  readonly origins: ReadonlyMap<string, ConfigOrigin>;
  /** The user file that was looked for, as an absolute path. */
  readonly userConfigPath: string;
  /** Whether that file existed (a missing default file means built-in defaults only). */
  readonly userConfigFound: boolean;
  /**
   * Whether the value at a dotted key must be masked when shown: a secret key's (see
   * `isSensitiveKey`), or one that a `${…}` reference copied a secret into, or a table or array
   * holding such a value.
   *
   * @example
   * // [t] url = "${context.secrets.DB_URL}"
   * loaded.isSecret("t.url"); // true
   */
  isSecret(key: string): boolean;
  /** Keys hush does not know in the sections it owns, in file order (then environment). */
  readonly unknownKeys: ReadonlyArray<UnknownConfigKey>;
  /** Local secrets left out because their whole value names an unset environment variable. */
  readonly unsetReferences: ReadonlyArray<UnsetSecretReference>;
}
