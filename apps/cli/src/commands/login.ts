import { endpointKey } from "@hush/config";
import { type IdentitySource, IdentityTokens } from "@hush/core";
import { isHushError } from "@hush/errors";
import { escapeForDisplay } from "@hush/schema/display-text";
import { CliError, usageError } from "../cli-error.js";
import type { CommandContext } from "../command-context.js";
import { ExitCode } from "../exit-codes.js";
import { createClient } from "../lazy-client.js";
import { canPrompt, promptHidden, readStdin } from "../prompts.js";
import { displayEndpoint } from "../token-messages.js";

/** What `hush login` takes: a token, or `--oidc` and where its identity token comes from. */
export interface LoginInput extends OidcLoginInput {
  token?: string | undefined;
  oidc?: boolean | undefined;
}

/**
 * `hush login`: checks a token with the server and saves it for the endpoint in
 * `~/.hush/auth.toml`; the endpoint becomes the default server when the config names none. With
 * `--oidc`, see {@link loginOidc}.
 */
export async function login(input: LoginInput, context: CommandContext): Promise<void> {
  const { token, oidc, ...identity } = input;
  if (oidc) {
    if (token !== undefined) throw usageError("Pass --token or --oidc, not both.");
    return loginOidc(identity, context);
  }
  const flag = {
    identityTokenFile: "--identity-token-file",
    audience: "--audience",
    tenant: "--tenant",
  };
  for (const [key, name] of Object.entries(flag)) {
    if (identity[key as keyof OidcLoginInput] !== undefined)
      throw usageError(`${name} goes with --oidc.`);
  }
  return loginWithToken(token, context);
}

async function loginWithToken(input: string | undefined, context: CommandContext): Promise<void> {
  const endpoint = selectedEndpoint(context);
  let token = input;
  if (token === undefined) {
    token = canPrompt(context.stderr)
      ? await promptHidden(`API token for ${endpoint}`)
      : await readStdin();
  }
  token = token.trim();
  if (token === "")
    throw usageError("No token given. Pass --token, type it at the prompt, or pipe it in.");
  const me = await checkToken(endpoint, token);
  // Like `gh auth login`: when the config names no server, the last one logged in to is the
  // one every command (and Secret.get()) uses.
  const origin = context.loaded.origins.get("cloud.endpoint")?.kind;
  const asDefault = origin === "default" || origin === "login";
  const wasDefault = context.auth.defaultEndpoint();
  context.auth.set(endpoint, { api_key: token }, asDefault);
  context.out.info(
    `Logged in to ${endpoint} as "${escapeForDisplay(me.tokenName)}" (${me.role}) in tenant "${escapeForDisplay(me.tenant.name)}". Saved in ${context.auth.path}.`,
  );
  if (
    asDefault &&
    (wasDefault === undefined || endpointKey(wasDefault) !== endpointKey(endpoint))
  ) {
    context.out.info(`hush now uses ${endpoint} when the config names no server.`);
  }
  const credentials = context.credentials();
  if (credentials.source !== context.auth.path && credentials.endpoint === endpoint) {
    context.out.warn(`${credentials.source} is set and is used instead of the saved token.`);
  }
}

/** What `hush login --oidc` takes. */
export interface OidcLoginInput {
  identityTokenFile?: string | undefined;
  audience?: string | undefined;
  tenant?: string | undefined;
}

/**
 * `hush login --oidc`: exchanges a workload identity token once for a short-lived API token and
 * saves that token, with its expiry, for the endpoint in `~/.hush/auth.toml` (never the identity
 * token). The identity token is `--identity-token-file`, else `[cloud] identity_token_file`,
 * else GitHub Actions' when its variables are set or `[cloud] identity = "github-actions"`.
 */
export async function loginOidc(input: OidcLoginInput, context: CommandContext): Promise<void> {
  const endpoint = selectedEndpoint(context);
  const { cloud } = context.config;
  const tenant = (input.tenant ?? cloud.tenant ?? "").trim();
  const identity = new IdentityTokens({
    endpoint,
    source: oidcSource(input, context),
    audience: input.audience ?? cloud.audience,
    ...(tenant === "" ? {} : { tenant }),
    env: context.env,
  });
  const exchanged = await identity.exchange();
  const origin = context.loaded.origins.get("cloud.endpoint")?.kind;
  const asDefault = origin === "default" || origin === "login";
  context.auth.set(
    endpoint,
    { api_key: exchanged.token, expires_at: exchanged.expiresAt },
    asDefault,
  );
  const environments = exchanged.environments?.join(", ") ?? "all";
  context.out.info(
    `Logged in to ${endpoint} with ${identity.describe()}: role ${exchanged.role} in tenant "${escapeForDisplay(exchanged.tenant)}", environments ${environments}. The token expires at ${exchanged.expiresAt} (${untilExpiry(exchanged.expiresAt)}); run \`hush login --oidc\` again then. Saved in ${context.auth.path}.`,
  );
  const credentials = context.credentials();
  if (credentials.source !== context.auth.path && credentials.endpoint === endpoint) {
    context.out.warn(`${credentials.source} is set and is used instead of the saved token.`);
  }
}

/** Where `hush login --oidc` gets its identity token. */
function oidcSource(input: OidcLoginInput, context: CommandContext): IdentitySource {
  const file = input.identityTokenFile ?? context.config.cloud.identity_token_file ?? "";
  if (file.trim() !== "") return { kind: "file", path: file.trim() };
  const { env } = context;
  if (
    context.config.cloud.identity === "github-actions" ||
    (env.ACTIONS_ID_TOKEN_REQUEST_URL !== undefined &&
      env.ACTIONS_ID_TOKEN_REQUEST_TOKEN !== undefined)
  ) {
    return { kind: "github-actions" };
  }
  throw usageError(
    "hush login --oidc needs an identity token: pass --identity-token-file FILE (or set [cloud] identity_token_file), or run it in a GitHub Actions job with `permissions: id-token: write`.",
  );
}

/** "in 15 minutes", for the expiry `hush login --oidc` prints. */
function untilExpiry(expiresAt: string): string {
  const minutes = Math.round((Date.parse(expiresAt) - Date.now()) / 60_000);
  if (!(minutes > 0)) return "in less than a minute";
  if (minutes < 120) return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  return `in ${Math.round(minutes / 60)} hours`;
}

/** `hush logout`: forgets the token saved for the endpoint. */
export function logout(_input: object, context: CommandContext): void {
  const endpoint = selectedEndpoint(context);
  if (context.auth.delete(endpoint)) context.out.info(`Logged out of ${endpoint}.`);
  else context.out.info(`No saved token for ${endpoint}.`);
}

/** The endpoint `login` and `logout` act on: `--endpoint`, else the config's. */
function selectedEndpoint(context: CommandContext): string {
  return context.options.endpoint ?? context.config.cloud.endpoint;
}

/** Asks the server who `token` is; a refused token is said in login's own words. */
async function checkToken(endpoint: string, token: string) {
  try {
    return await createClient({ endpoint, apiKey: token }).me();
  } catch (error) {
    if (!(isHushError(error) && error.code === "UNAUTHENTICATED")) throw error;
    throw new CliError(
      ExitCode.AUTH,
      "UNAUTHENTICATED",
      `The hush server at ${displayEndpoint(endpoint)} did not accept this token: it is unknown, revoked or expired. Nothing was saved; check the token, or ask a tenant admin for a new one (\`hush tokens create\`).`,
      { cause: error },
    );
  }
}
