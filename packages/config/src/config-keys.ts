/**
 * What a config key holds, which says how it is checked, and whether a `HUSH__…` value for it is
 * cast (see `castEnvValue`) or kept as text:
 * - `choice`: one of `choices`, text;
 * - `boolean`: `true` or `false`;
 * - `url`: an http:// or https:// URL, text;
 * - `string`: any text;
 * - `milliseconds`: a whole number, 0 or more;
 * - `seconds`: a number, 0 or more;
 * - `table`: a section hush owns, whose keys are the entries under it;
 * - `secrets`: the table of local secrets, by name; its keys are the user's.
 */
export type ConfigKeyType =
  | "choice"
  | "boolean"
  | "url"
  | "string"
  | "milliseconds"
  | "seconds"
  | "table"
  | "secrets";

/** One key of hush's configuration, as {@link CONFIG_KEYS} lists it. */
export interface ConfigKey {
  /** The dotted path, such as `cloud.endpoint`. */
  readonly path: string;
  readonly type: ConfigKeyType;
  /** The built-in default; absent for a key that is optional and unset unless written. */
  readonly default?: unknown;
  /** One line for people: what it does. */
  readonly description: string;
  /** Whether its value (everything under it, for a table) is secret: never shown or quoted. */
  readonly secret?: boolean;
  /** For a `choice`: the values it may take. */
  readonly choices?: readonly string[];
  /** The value a message suggests when the one written cannot be fixed by itself, as TOML. */
  readonly example?: string;
  /** What {@link example} does, said after it in a message: `60000` "for a minute". */
  readonly exampleNote?: string;
  /** For a table: how to write it, said when something else was written in its place. */
  readonly howToWrite?: string;
}

/**
 * Every key hush reads, in the order messages and docs list them; a table's keys follow it. The
 * defaults, the checks, the "did you mean" for unknown keys, which keys are secret, which
 * `HUSH__…` values are kept as text, and the key table of the package's README all come from it.
 */
export const CONFIG_KEYS = [
  {
    path: "backend",
    type: "choice",
    choices: ["cloud", "server", "local"],
    default: "cloud",
    description:
      "Where the server-side secrets live: a hush server in the cloud, a self-hosted one, or nowhere.",
  },
  {
    path: "cloud",
    type: "table",
    description: "How to reach the hush server and how to keep what it returns.",
    howToWrite: 'Write a [cloud] section with keys such as endpoint = "https://…".',
  },
  {
    path: "cloud.use_local_secrets",
    type: "boolean",
    default: true,
    description: "Whether `Secret.get()` stays with local secrets; `false` asks the server.",
    example: "true",
    exampleNote: "or false to fetch secrets from the server",
  },
  {
    path: "cloud.endpoint",
    type: "url",
    default: "http://127.0.0.1:4200",
    description: "The hush server's base URL; GraphQL is served at `<endpoint>/graphql`.",
    example: "https://hush.example.com",
  },
  {
    path: "cloud.api_key",
    type: "string",
    default: "",
    secret: true,
    description: "The API token; empty: the one `hush login` saved for the endpoint, if any.",
  },
  {
    path: "cloud.identity_token_file",
    type: "string",
    description:
      "A file holding a workload identity token (a JWT, such as a Kubernetes projected service account token), exchanged with the server for a short-lived API token; read again at each exchange. Used when no API token is set.",
    example: '"/var/run/secrets/hush/token"',
  },
  {
    path: "cloud.identity",
    type: "choice",
    choices: ["github-actions"],
    description:
      "Where else a workload identity token comes from: `github-actions`, the workflow's OpenID Connect token (the job needs `permissions: id-token: write`). Used when no API token or identity_token_file is set.",
  },
  {
    path: "cloud.audience",
    type: "string",
    default: "hush",
    description:
      "The audience the identity token is issued for (its `aud` claim), as the server's trust names it.",
  },
  {
    path: "cloud.tenant",
    type: "string",
    description:
      "The tenant an identity token is exchanged in; unset: the one whose trusts match the token.",
  },
  {
    path: "cloud.environment",
    type: "string",
    description:
      "The server environment secrets are read from and written to (`hush --env` overrides it). Unset or empty: the token's only environment, else the tenant's default.",
    example: '"staging"',
  },
  {
    path: "cloud.cache_ttl",
    type: "seconds",
    description:
      "Seconds a value read from the server is served from memory before it is read again; 0 (or unset) turns caching off, unless `secret_cache_ttl_ms` is set.",
    example: "300",
    exampleNote: "for five minutes",
  },
  {
    path: "cloud.stale_ttl",
    type: "seconds",
    description:
      "Seconds past `cache_ttl` during which a cached value is still returned at once while one background read refreshes it. Unset: 0.",
    example: "300",
    exampleNote: "for five minutes",
  },
  {
    path: "cloud.fallback_file",
    type: "string",
    description:
      "A file that keeps an encrypted copy of the values read from the server, used only when the server cannot be reached. Unset or empty: none.",
  },
  {
    path: "cloud.fallback_key",
    type: "string",
    secret: true,
    description:
      "The fallback file's key: 32 bytes, base64, usually given in the environment. Unset: derived from `api_key`.",
  },
  {
    path: "cloud.fallback_max_age",
    type: "seconds",
    description: "Seconds after which the fallback file is too old to use; 0 (or unset): no limit.",
    example: "300",
    exampleNote: "for five minutes",
  },
  {
    path: "cloud.secret_cache_ttl_ms",
    type: "milliseconds",
    default: 0,
    description:
      "The older form of `cache_ttl`, in milliseconds; used when `cache_ttl` is not set. 0 turns caching off.",
    example: "60000",
    exampleNote: "for a minute, or 0 to turn caching off",
  },
  {
    path: "context",
    type: "table",
    description: "What a program runs with: its local secrets.",
    howToWrite: 'Write a [context.secrets] section with NAME = "value" lines.',
  },
  {
    path: "context.secrets",
    type: "secrets",
    default: {},
    secret: true,
    description: "Local secrets, by name; a value may be a nested table.",
    howToWrite: 'Write a [context.secrets] section with NAME = "value" lines.',
  },
] as const satisfies readonly ConfigKey[];

/** The keys whose values are secret; everything under them is too. */
export const SECRET_KEY_PATHS: readonly string[] = CONFIG_KEYS.filter(
  (key: ConfigKey) => key.secret === true,
).map((key) => key.path);

/** The sections hush owns: the top level (`""`) and each table of {@link CONFIG_KEYS}. */
export const OWNED_SECTIONS: readonly string[] = [
  "",
  ...CONFIG_KEYS.filter((key: ConfigKey) => key.type === "table").map((key) => key.path),
];

/** The names of the keys hush reads directly in `section` (`""` for the top level), in order. */
export function keysOf(section: string): string[] {
  const prefix = section === "" ? "" : `${section}.`;
  return CONFIG_KEYS.filter((key) => key.path.startsWith(prefix))
    .map((key) => key.path.slice(prefix.length))
    .filter((name) => !name.includes("."));
}

/** The entry for a dotted path, if hush reads that key. */
export function configKey(path: string): ConfigKey | undefined {
  return CONFIG_KEYS.find((key) => key.path === path);
}

/** Whether a `HUSH__…` value for `path` is text, never cast to a number or a boolean. */
export function isTextKey(path: string): boolean {
  const type = configKey(path)?.type;
  return type === "choice" || type === "url" || type === "string";
}

/** The `HUSH__…` variable that overrides `path`: `cloud.api_key` → `HUSH__CLOUD__API_KEY`. */
export function envVariableFor(path: string): string {
  return `HUSH__${path.toUpperCase().replaceAll(".", "__")}`;
}
