/** Where the server-side secrets live: a hush server in the cloud, a self-hosted one, or nowhere. */
export type Backend = "cloud" | "server" | "local";

/**
 * The loaded configuration: plain, deep-frozen objects. Known sections are typed; unknown
 * sections and keys are kept as they were written.
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
     * How long a value read from the server is cached, in milliseconds; 0 turns caching off.
     * @default 0
     */
    readonly secret_cache_ttl_ms: number;
    readonly [key: string]: unknown;
  };
  readonly context: {
    /** Local secrets, by name; a value may be a nested table. @default {} */
    readonly secrets: Readonly<Record<string, unknown>>;
    readonly [key: string]: unknown;
  };
  readonly [section: string]: unknown;
}

/** Where one config value came from. */
export type ConfigOrigin =
  | { readonly kind: "default" }
  | { readonly kind: "file"; readonly file: string; readonly line: number; readonly column: number }
  | { readonly kind: "env"; readonly variable: string };

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
}
