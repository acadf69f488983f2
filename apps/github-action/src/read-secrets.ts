import { createClient, isApiError } from "@hush/graphql";
import { ActionError } from "./action-error.js";
import { requestIdToken } from "./id-token.js";
import type { ActionInputs } from "./inputs.js";
import { tokenClaims } from "./token-claims.js";

/** Registers a text with the runner's log masker before the action does anything else with it. */
export type Mask = (text: string) => void;

/**
 * The hush API token the step reads with: the input token, else the job's OpenID Connect token
 * exchanged for a short-lived one (`exchangeIdentityToken`). Each token is masked as soon as the
 * action holds it.
 */
export async function apiToken(
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
  mask: Mask,
): Promise<string> {
  if (inputs.token !== undefined) return inputs.token;
  const idToken = await requestIdToken(env, inputs.audience);
  mask(idToken);
  const client = createClient({ endpoint: inputs.endpoint });
  try {
    const exchanged = await client.exchangeIdentityToken({
      token: idToken,
      tenant: inputs.tenant ?? null,
    });
    mask(exchanged.token);
    return exchanged.token;
  } catch (error) {
    if (!isApiError(error, "UNAUTHENTICATED")) throw error;
    const { iss, aud, sub } = tokenClaims(idToken);
    // The server's own reason: the client's message for UNAUTHENTICATED is about API keys.
    const reason = error.errors[0]?.message ?? error.message;
    throw new ActionError(
      "ID_TOKEN",
      `The hush server did not exchange the job's OpenID Connect token (issuer ${String(iss)}, audience ${String(aud)}, subject ${String(sub)}): ${reason} A tenant admin trusts this job with: hush-server trust create --issuer ${String(iss)} --audience ${String(aud)} --subject '${String(sub)}'`,
      { cause: error },
    );
  }
}

/**
 * The secrets' values, by name, in one round trip (`secretValues`): the ones `inputs.secrets`
 * names, else every secret the token may read. Names missing on the server fail the step, named.
 */
export async function readSecrets(
  inputs: ActionInputs,
  token: string,
): Promise<Record<string, unknown>> {
  const client = createClient({
    endpoint: inputs.endpoint,
    apiKey: token,
    environment: inputs.environment,
  });
  try {
    return await client.secretValues(inputs.secrets);
  } catch (error) {
    if (!isApiError(error, "NOT_FOUND") || error.extensions.names === undefined) throw error;
    const missing = [...error.extensions.names].sort();
    const where =
      inputs.environment === undefined ? "" : ` in the environment ${inputs.environment}`;
    throw new ActionError(
      "MISSING_SECRETS",
      `Nothing was exported: the hush server has no secret${missing.length === 1 ? "" : "s"} ${missing.join(", ")}${where}. Set ${missing.length === 1 ? "it" : "them"} there, or leave ${missing.length === 1 ? "it" : "them"} out of the input secrets.`,
      { cause: error },
    );
  }
}
