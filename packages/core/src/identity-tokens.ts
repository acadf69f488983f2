import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { HushConfig } from "@hush/config";
import { isHushError } from "@hush/errors";
import { createClient, type TokenProvider } from "@hush/graphql";
import { IdentityError } from "./errors.js";
import { requestGitHubIdToken } from "./github-id-token.js";
import { displayEndpoint } from "./server-errors.js";

/** Where a workload identity token (a JWT its platform signs) comes from. */
export type IdentitySource =
  /** A file the platform keeps current, such as a Kubernetes projected service account token. */
  | { readonly kind: "file"; readonly path: string }
  /** The workflow's OpenID Connect token, asked of GitHub Actions for the audience. */
  | { readonly kind: "github-actions" };

/** What the server gave for an identity token: a short-lived API token and what it may do. */
export interface ExchangedToken {
  /** The bearer token (`hush_…`). */
  readonly token: string;
  /** When it stops working, ISO 8601. */
  readonly expiresAt: string;
  readonly role: string;
  /** The environments it may use; null for every one. */
  readonly environments?: readonly string[] | null | undefined;
  readonly tenant: string;
}

/** Options of {@link IdentityTokens}. */
export interface IdentityTokensOptions {
  /** The hush server's base URL, where tokens are exchanged. */
  readonly endpoint: string;
  readonly source: IdentitySource;
  /** The audience asked of GitHub Actions (a token file's is the platform's to set). */
  readonly audience: string;
  /** The tenant to exchange in; undefined: the one whose trusts match the token. */
  readonly tenant?: string | undefined;
  /** The environment, for GitHub Actions' `ACTIONS_ID_TOKEN_REQUEST_*` variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Exchanges an identity token with the server.
   * @default the server's exchangeIdentityToken mutation at `endpoint`
   */
  readonly exchange?: (identityToken: string, tenant?: string) => Promise<ExchangedToken>;
  /** The clock, in milliseconds. @default Date.now */
  readonly now?: () => number;
  /** How long GitHub Actions may take to answer, in milliseconds. @default 10000 */
  readonly requestTimeoutMs?: number;
}

/** Renew no later than this before a token expires (unless that is more than half its life). */
const MIN_MARGIN_MS = 60_000;
const GITHUB_TIMEOUT_MS = 10_000;
const ID_TOKEN_PERMISSION =
  "Give the job `permissions: id-token: write` in the workflow (hush reads ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN, which GitHub sets only then).";

interface Current {
  readonly exchanged: ExchangedToken;
  /** When to exchange again, by this process's clock. */
  readonly renewAt: number;
}

/**
 * A workload identity as a source of API tokens, for `@hush/core` and the `hush` CLI alike: the
 * identity token is exchanged with the server on first use, the API token it gives is kept in
 * memory only, and exchanged again when a fifth of its life (at least a minute, at most half)
 * is left, or once after the server refuses it. One exchange is in flight at a time; a token
 * file is read again at each exchange, as Kubernetes rotates it.
 */
export class IdentityTokens implements TokenProvider {
  readonly #options: IdentityTokensOptions;
  readonly #now: () => number;
  #current: Current | undefined;
  #pending: Promise<Current> | undefined;
  #client: ReturnType<typeof createClient> | undefined;

  constructor(options: IdentityTokensOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Where the identity token comes from, for messages: "the identity token in /path". */
  describe(): string {
    const { source } = this.#options;
    return source.kind === "file"
      ? `the identity token in ${resolve(source.path)}`
      : "GitHub Actions' OpenID Connect token";
  }

  /** The identity settings, as `hush whoami` and `config doctor` name them. */
  get source(): IdentitySource {
    return this.#options.source;
  }

  /** The API token to send now, exchanged first when there is none or it is due for renewal. */
  async token(): Promise<string> {
    const current = this.#current;
    if (current !== undefined && this.#now() < current.renewAt) return current.exchanged.token;
    return (await this.#exchangeOnce()).exchanged.token;
  }

  refused(token: string): boolean {
    if (this.#current?.exchanged.token === token) this.#current = undefined;
    return true;
  }

  /** Exchanges the identity token now (one exchange for concurrent callers) and keeps the result. */
  async exchange(): Promise<ExchangedToken> {
    return (await this.#exchangeOnce()).exchanged;
  }

  #exchangeOnce(): Promise<Current> {
    this.#pending ??= this.#exchangeNow().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #exchangeNow(): Promise<Current> {
    const identityToken = await this.#identityToken();
    const exchanged = await this.#send(identityToken);
    const now = this.#now();
    const expiresAt = Date.parse(exchanged.expiresAt);
    const life = Number.isNaN(expiresAt) ? 0 : expiresAt - now;
    const margin = Math.min(Math.max(life / 5, MIN_MARGIN_MS), life / 2);
    const current = { exchanged, renewAt: now + life - margin };
    this.#current = current;
    return current;
  }

  async #send(identityToken: string): Promise<ExchangedToken> {
    const { endpoint, tenant } = this.#options;
    const exchange =
      this.#options.exchange ??
      ((token: string, tenant?: string) => {
        // Without a token of its own: the identity token is its credential.
        this.#client ??= createClient({ endpoint });
        return this.#client.exchangeIdentityToken({ token, tenant: tenant ?? null });
      });
    try {
      return await exchange(identityToken, tenant);
    } catch (error) {
      if (!isHushError(error, "UNAUTHENTICATED")) throw error;
      const inTenant = tenant === undefined ? "" : ` in tenant "${tenant}"`;
      throw new IdentityError(
        "UNAUTHENTICATED",
        `The hush server at ${displayEndpoint(endpoint)} refused ${this.describe()}${inTenant} (audience "${this.#options.audience}" asked for): ${(error as Error).message.replaceAll(identityToken, "[identity token]")} A tenant admin lists the trusts with \`hush trust list\` and adds one with \`hush trust create\`.`,
        { cause: error },
      );
    }
  }

  async #identityToken(): Promise<string> {
    const { source } = this.#options;
    return source.kind === "file" ? this.#readTokenFile(source.path) : this.#askGitHub();
  }

  async #readTokenFile(path: string): Promise<string> {
    const where = `The identity token file ${resolve(path)} ([cloud] identity_token_file)`;
    let text: string;
    try {
      text = await readFile(resolve(path), "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "error";
      const hint =
        code === "ENOENT"
          ? "does not exist. Check the path, and that the platform mounts the token there (a Kubernetes projected volume)"
          : `cannot be read (${code}). Check its permissions`;
      throw new IdentityError("IDENTITY_UNAVAILABLE", `${where} ${hint}.`);
    }
    const token = text.trim();
    if (token === "") {
      throw new IdentityError(
        "IDENTITY_UNAVAILABLE",
        `${where} is empty; it should hold one JWT. Check that the platform writes the token there.`,
      );
    }
    return token;
  }

  async #askGitHub(): Promise<string> {
    const { env, audience } = this.#options;
    const asked = await requestGitHubIdToken(
      env,
      audience,
      this.#options.requestTimeoutMs ?? GITHUB_TIMEOUT_MS,
    );
    if ("token" in asked) return asked.token;
    const { failure } = asked;
    if (failure.kind === "not-set") {
      throw new IdentityError(
        "IDENTITY_UNAVAILABLE",
        `[cloud] identity is "github-actions", but ${failure.variable} is not set: this is not a GitHub Actions job, or its token may not be asked for. ${ID_TOKEN_PERMISSION}`,
      );
    }
    const why =
      failure.kind === "timeout"
        ? "GitHub did not answer in time"
        : failure.kind === "network"
          ? "GitHub could not be reached"
          : failure.kind === "status"
            ? `GitHub answered HTTP ${failure.status} ${failure.statusText}`.trim()
            : "GitHub's answer held no token (no `value`)";
    throw new IdentityError(
      "IDENTITY_UNAVAILABLE",
      `Could not get GitHub Actions' OpenID Connect token: ${why}. ${ID_TOKEN_PERMISSION}`,
    );
  }
}

/**
 * The identity `config` names, when no API token is used: `[cloud] identity_token_file`, else
 * `[cloud] identity = "github-actions"`; undefined when it names none.
 */
export function identityFromConfig(
  cloud: HushConfig["cloud"],
  options: { readonly endpoint: string; readonly env: IdentityTokensOptions["env"] },
): IdentityTokens | undefined {
  const path = cloud.identity_token_file?.trim() ?? "";
  const source: IdentitySource | undefined =
    path !== ""
      ? { kind: "file", path }
      : cloud.identity === "github-actions"
        ? { kind: "github-actions" }
        : undefined;
  if (source === undefined) return undefined;
  const tenant = cloud.tenant?.trim() ?? "";
  return new IdentityTokens({
    endpoint: options.endpoint,
    source,
    audience: cloud.audience,
    ...(tenant === "" ? {} : { tenant }),
    env: options.env,
  });
}

/**
 * The error for a token `hush login --oidc` saved that has expired: said before anything is
 * sent, rather than the server's bare refusal.
 */
export function expiredLoginError(
  endpoint: string,
  expiresAt: string,
  file: string,
): IdentityError {
  return new IdentityError(
    "UNAUTHENTICATED",
    `The token \`hush login --oidc\` saved for ${displayEndpoint(endpoint)} in ${file} expired at ${expiresAt}. Run \`hush login --oidc\` again, or set [cloud] identity_token_file (or identity = "github-actions") to exchange one on each run.`,
  );
}
