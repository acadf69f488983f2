// GitHub Actions' ID-token endpoint, asked in one place for core's identity and the GitHub Action.

/** Why a job's OpenID Connect token could not be had; each caller words it for its users. */
export type GitHubIdTokenFailure =
  /** GitHub sets neither variable, or not both, unless the job has `id-token: write`. */
  | { readonly kind: "not-set"; readonly variable: string }
  | { readonly kind: "timeout" }
  /** The endpoint could not be reached. Its error's text is not kept: it might hold the URL's query. */
  | { readonly kind: "network" }
  | { readonly kind: "status"; readonly status: number; readonly statusText: string }
  /** A 2xx answer without a `value`. */
  | { readonly kind: "no-token" };

/**
 * The job's OpenID Connect token for `audience`: GET `$ACTIONS_ID_TOKEN_REQUEST_URL&audience=…`
 * with `$ACTIONS_ID_TOKEN_REQUEST_TOKEN` as bearer, answered with `{"value": JWT}`. GitHub sets
 * both variables only for jobs with `permissions: id-token: write`. Resolves with the token, or
 * with why there is none; the request token is never in what it gives back.
 */
export async function requestGitHubIdToken(
  env: NodeJS.ProcessEnv,
  audience: string,
  timeoutMs: number,
): Promise<{ token: string } | { failure: GitHubIdTokenFailure }> {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL ?? "";
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? "";
  if (url === "" || requestToken === "") {
    const variable = url === "" ? "ACTIONS_ID_TOKEN_REQUEST_URL" : "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
    return { failure: { kind: "not-set", variable } };
  }
  let response: Response;
  try {
    response = await fetch(`${url}&audience=${encodeURIComponent(audience)}`, {
      headers: { authorization: `bearer ${requestToken}`, accept: "application/json" },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = (error as Error)?.name === "TimeoutError";
    return { failure: { kind: timedOut ? "timeout" : "network" } };
  }
  if (!response.ok) {
    return {
      failure: { kind: "status", status: response.status, statusText: response.statusText },
    };
  }
  const value = ((await response.json().catch(() => undefined)) as { value?: unknown })?.value;
  if (typeof value !== "string" || value === "") return { failure: { kind: "no-token" } };
  return { token: value };
}
