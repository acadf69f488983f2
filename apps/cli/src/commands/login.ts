import { endpointKey } from "@hush/config";
import { isHushError } from "@hush/errors";
import { escapeForDisplay } from "@hush/schema/display-text";
import { CliError, usageError } from "../cli-error.js";
import type { CommandContext } from "../command-context.js";
import { ExitCode } from "../exit-codes.js";
import { createClient } from "../lazy-client.js";
import { canPrompt, promptHidden, readStdin } from "../prompts.js";
import { displayEndpoint } from "../token-messages.js";

/**
 * `hush login`: checks a token with the server and saves it for the endpoint in
 * `~/.hush/auth.toml`; the endpoint becomes the default server when the config names none.
 */
export async function login(
  input: { token?: string | undefined },
  context: CommandContext,
): Promise<void> {
  const endpoint = selectedEndpoint(context);
  let token = input.token;
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
