import { homedir } from "node:os";
import {
  type ConfigOrigin,
  describeOrigin,
  endpointKey,
  type HushConfig,
  isExpired,
  type LoadedConfig,
  loadConfigWithOrigins,
} from "@hush/config";
import {
  type ConfigSources,
  configure,
  expiredLoginError,
  type IdentityTokens,
  identityFromConfig,
  resetConfiguration,
  Secret,
  type SecretsClient,
} from "@hush/core";
import { isHushError } from "@hush/errors";
import type { ClientOptions } from "@hush/graphql";
import { AuthFile } from "./auth-file.js";
import { batchingClient } from "./batching-client.js";
import { CliError, usageError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";
import { createClient, type ServerClient } from "./lazy-client.js";
import { createOutput, type Output, type OutputStream } from "./output.js";

/** Options every command takes. */
export interface GlobalOptions {
  config?: string;
  endpoint?: string;
  debug?: boolean;
  /**
   * `--env`: the server environment, over `[cloud] environment` (taken by the commands that work
   * on secrets: `secrets *`, `run`, `export`, `import`, `audit`).
   */
  env?: string;
  /** Set by `config doctor`, which reports unknown keys itself. */
  quietUnknownKeys?: boolean;
}

/** Where secrets are read and written: `[context.secrets]` of the config, or the hush server. */
export type Mode = "local" | "server";

/** How a command chose its mode: `--local`, `--cloud`, or neither (follow the config). */
export interface ModeFlags {
  local?: boolean;
  cloud?: boolean;
}

/** The API token a server command sends, and where it came from (for `whoami` and errors). */
export interface Credentials {
  readonly endpoint: string;
  readonly token: string;
  /** e.g. `HUSH__CLOUD__API_KEY`, `[cloud] api_key in ~/.hush/config.toml:4`, `~/.hush/auth.toml`. */
  readonly source: string | undefined;
  /** Where the token came from, as an origin (absent when there is none). */
  readonly origin?: ConfigOrigin;
  /**
   * The workload identity whose exchanged tokens are sent (`token` is then `""`): used when no
   * API token is set or saved.
   */
  readonly identity?: IdentityTokens;
  /** When the token `hush login --oidc` saved expired (`token` is then `""`): none is sent. */
  readonly expiredAt?: string;
}

/** Where a command runs: its environment, home folder and the streams it writes to. */
export interface CommandSurroundings {
  env?: NodeJS.ProcessEnv;
  /** The home folder (`~/.hush` is in it); the user's own by default. */
  home?: string;
  stdout?: OutputStream;
  stderr?: OutputStream;
}

/**
 * What a command runs with: the global options, the environment, the output streams, the config
 * (loaded on first use), the credentials it gives, and the server client made from them.
 */
export class CommandContext {
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly out: Output;
  readonly auth: AuthFile;
  /**
   * What hush exits with when the command returns without an error: `hush run` passes on its
   * command's, `config doctor` sets 1 when a check failed.
   */
  exitCode: number = ExitCode.OK;
  #loaded: LoadedConfig | undefined;
  #client: ServerClient | undefined;
  /** One per command, so that its exchanged token serves every request the command makes. */
  #identity: { readonly endpoint: string; readonly tokens: IdentityTokens | undefined } | undefined;

  constructor(
    readonly options: GlobalOptions,
    surroundings: CommandSurroundings = {},
  ) {
    this.env = surroundings.env ?? process.env;
    this.home = surroundings.home ?? homedir();
    this.stdout = surroundings.stdout ?? process.stdout;
    this.stderr = surroundings.stderr ?? process.stderr;
    this.out = createOutput(this.env, { stdout: this.stdout, stderr: this.stderr });
    this.auth = new AuthFile(this.home);
  }

  /** The configuration with the origin of every value (loaded once). */
  get loaded(): LoadedConfig {
    if (this.#loaded === undefined) {
      this.#loaded = loadConfigWithOrigins({
        env: this.env,
        homeDir: this.home,
        warnUnknownKeys: false,
        ...(this.options.config === undefined ? {} : { userConfigPath: this.options.config }),
      });
      // `config doctor` lists them itself, with the rest of its report.
      if (!this.options.quietUnknownKeys) {
        for (const unknown of this.#loaded.unknownKeys) this.out.warn(unknown.message);
      }
    }
    return this.#loaded;
  }

  get config(): HushConfig {
    return this.loaded.config;
  }

  /**
   * The endpoint and token server commands use: `--endpoint`, else `[cloud] endpoint`; the
   * config's `[cloud] api_key` (or `HUSH__CLOUD__API_KEY`) when set for that endpoint, else the
   * token `hush login` saved in `~/.hush/auth.toml` unless it has expired, else the workload
   * identity of `[cloud] identity_token_file` or `identity` (an explicit token always wins).
   */
  credentials(): Credentials {
    const configured = this.config.cloud.endpoint;
    const endpoint = this.options.endpoint ?? configured;
    const apiKey = this.config.cloud.api_key;
    if (apiKey !== "" && endpointKey(endpoint) === endpointKey(configured)) {
      const origin = this.loaded.origins.get("cloud.api_key");
      const source =
        origin?.kind === "file"
          ? `[cloud] api_key in ${describeOrigin(origin, this.home)}`
          : origin?.kind === "env"
            ? origin.variable
            : "[cloud] api_key";
      return { endpoint, token: apiKey, source, ...(origin === undefined ? {} : { origin }) };
    }
    const saved = this.auth.get(endpoint);
    const origin: ConfigOrigin = { kind: "login", file: this.auth.path };
    if (saved !== undefined && !isExpired(saved)) {
      return { endpoint, token: saved.api_key, source: this.auth.path, origin };
    }
    const identity = this.identity(endpoint);
    if (identity !== undefined) {
      return { endpoint, token: "", source: this.identitySource(identity), identity };
    }
    if (saved?.expires_at !== undefined) {
      return { endpoint, token: "", source: this.auth.path, origin, expiredAt: saved.expires_at };
    }
    return { endpoint, token: "", source: undefined };
  }

  /** The workload identity the config names for `endpoint`, if any (made once). */
  identity(endpoint: string): IdentityTokens | undefined {
    if (this.#identity?.endpoint !== endpoint) {
      const tokens = identityFromConfig(this.config.cloud, { endpoint, env: this.env });
      this.#identity = { endpoint, tokens };
    }
    return this.#identity.tokens;
  }

  /** Where an identity is set, as `whoami` says it: "[cloud] identity_token_file (/path)". */
  private identitySource(identity: IdentityTokens): string {
    const key = identity.source.kind === "file" ? "cloud.identity_token_file" : "cloud.identity";
    const origin = this.loaded.origins.get(key);
    const setting =
      origin?.kind === "env"
        ? origin.variable
        : `[cloud] ${key.slice("cloud.".length)}${origin?.kind === "file" ? ` in ${describeOrigin(origin, this.home)}` : ""}`;
    return `${identity.describe()} (${setting})`;
  }

  /**
   * The server environment secrets commands work in: `--env`, else `[cloud] environment`;
   * undefined when neither names one (the server then uses the token's only environment, else
   * the tenant's default).
   */
  get environment(): string | undefined {
    if (this.options.env !== undefined) {
      const flag = this.options.env.trim();
      if (flag === "") throw usageError("--env needs an environment's name (`hush env list`).");
      return flag;
    }
    const configured = this.config.cloud.environment?.trim() ?? "";
    return configured === "" ? undefined : configured;
  }

  /** Where server commands act, for messages: the endpoint, and the environment when named. */
  serverPlace(): string {
    const { environment } = this;
    const where = this.credentials().endpoint;
    return environment === undefined ? where : `${where}, environment "${environment}"`;
  }

  /** {@link credentials}, or undefined when they cannot be had (an unreadable auth file). */
  credentialsIfKnown(): Credentials | undefined {
    try {
      return this.credentials();
    } catch {
      return undefined;
    }
  }

  /**
   * Where each config value came from, for `@hush/core`'s messages and `config show --origins`:
   * the loader's origins, the auth file for a token `hush login` saved, and the flags that
   * changed a value (`--local`, `--cloud`, `--endpoint`).
   */
  sources(
    changed: Readonly<Record<string, ConfigOrigin>> = {},
    { withToken = true } = {},
  ): ConfigSources {
    const origins = new Map(this.loaded.origins);
    const token = withToken ? this.tokenOrigin() : undefined;
    if (token?.kind === "login") origins.set("cloud.api_key", token);
    if (this.options.endpoint !== undefined) {
      origins.set("cloud.endpoint", { kind: "flag", flag: "--endpoint" });
    }
    if (this.options.env !== undefined) {
      origins.set("cloud.environment", { kind: "flag", flag: "--env" });
    }
    for (const [key, value] of Object.entries(changed)) origins.set(key, value);
    return { ...this.loaded, origins, home: this.home };
  }

  /** Where the token came from; undefined when the auth file cannot be read (reported on use). */
  private tokenOrigin(): ConfigOrigin | undefined {
    try {
      return this.credentials().origin;
    } catch (error) {
      if (isHushError(error)) return undefined;
      throw error;
    }
  }

  /** The server client (graphql loads on its first call). */
  client(): ServerClient {
    this.#client ??= this.newClient();
    return this.#client;
  }

  /**
   * A server client of its own with this command's credentials (its API key, or its workload
   * identity's exchanged tokens) and environment, unless `settings` say otherwise: another
   * environment, or a long poll's timeout.
   */
  newClient(
    settings: Pick<ClientOptions, "environment" | "timeoutMs" | "retries" | "fetch"> = {},
  ): ServerClient {
    const { endpoint, token, identity, expiredAt } = this.credentials();
    if (expiredAt !== undefined) {
      const expired = expiredLoginError(endpoint, expiredAt, this.auth.path);
      throw new CliError(ExitCode.AUTH, expired.code, expired.message);
    }
    const { environment } = this;
    return createClient({
      endpoint,
      ...(identity === undefined ? { apiKey: token } : { tokenProvider: identity }),
      ...(environment === undefined ? {} : { environment }),
      ...settings,
    });
  }

  /**
   * The mode a secrets command works in: `--local` / `--cloud`, else the one `Secret.get()` uses
   * for this config (the server when `backend = "cloud"` and `use_local_secrets = false`).
   */
  async mode(flags: ModeFlags): Promise<Mode> {
    if (flags.local && flags.cloud) throw usageError("Pass --local or --cloud, not both.");
    const mode =
      flags.local || (!flags.cloud && !(await coreAsksServer(this.config))) ? "local" : "server";
    if (mode === "local" && this.options.env !== undefined) {
      throw usageError(
        `--env ${this.options.env} names a server environment, but this command works on local secrets (${flags.local ? "--local" : "[context.secrets] of the config file, as [cloud] use_local_secrets is not false"}): environments live on the hush server. Pass --cloud to use the server, or leave out --env.`,
      );
    }
    return mode;
  }

  /**
   * Sets up `@hush/core` so that `Secret` reads as this mode does: local only; the config's own
   * rule (local, then the server); or (`--cloud`) the server only. Server reads made together
   * share one `secretValues` round trip; values in `known` were read from the server already.
   */
  useCore(mode: Mode, flags: ModeFlags, known?: Readonly<Record<string, unknown>>): void {
    const config = this.config;
    const endpoint = this.options.endpoint ?? config.cloud.endpoint;
    const environment = this.environment ?? "";
    if (mode === "local") {
      // Forced only by --local: else the config already says local, and its origin stays.
      const sources = this.sources(
        flags.local ? { "cloud.use_local_secrets": { kind: "flag", flag: "--local" } } : {},
        { withToken: false },
      );
      configure({
        config: { ...config, cloud: { ...config.cloud, use_local_secrets: true } },
        sources,
      });
      return;
    }
    const client = batchingClient(this.client(), known);
    if (flags.cloud) {
      const cloud: ConfigOrigin = { kind: "flag", flag: "--cloud" };
      configure({
        config: {
          ...config,
          backend: "cloud",
          cloud: { ...config.cloud, endpoint, environment, use_local_secrets: false },
          context: { ...config.context, secrets: {} },
        },
        sources: this.sources({ backend: cloud, "cloud.use_local_secrets": cloud }),
        client,
      });
    } else {
      configure({
        config: { ...config, cloud: { ...config.cloud, endpoint, environment } },
        sources: this.sources(),
        client,
      });
    }
  }
}

/**
 * Whether `Secret.get()` would ask the server for a name that is not local under `config`: asked
 * of `@hush/core` itself, so the CLI follows its rule rather than a copy of it.
 */
async function coreAsksServer(config: HushConfig): Promise<boolean> {
  let asked = false;
  const probe: SecretsClient = {
    async secretNames() {
      asked = true;
      return [];
    },
    async secretValue() {
      asked = true;
      return undefined;
    },
    async secretValues() {
      asked = true;
      return {};
    },
  };
  configure({ config: { ...config, context: { ...config.context, secrets: {} } }, client: probe });
  try {
    await new Secret("hush-mode-probe").exists();
  } finally {
    resetConfiguration();
  }
  return asked;
}
