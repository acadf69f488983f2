import { ActionError } from "./action-error.js";

/** How long GitHub's ID-token endpoint may take to answer. */
const TIMEOUT_MS = 10_000;

/**
 * The job's OpenID Connect token for `audience`, from GitHub's ID-token endpoint: GET
 * `$ACTIONS_ID_TOKEN_REQUEST_URL&audience=…` with `$ACTIONS_ID_TOKEN_REQUEST_TOKEN` as bearer,
 * answered with `{"value": JWT}`. GitHub sets both variables only for jobs with
 * `permissions: id-token: write`.
 */
export async function requestIdToken(env: NodeJS.ProcessEnv, audience: string): Promise<string> {
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL;
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  if (!url || !requestToken) {
    throw new ActionError(
      "NOT_IN_ACTIONS",
      "GitHub gave this step no OpenID Connect token (ACTIONS_ID_TOKEN_REQUEST_URL is not set): add `permissions: id-token: write` to the job, or pass a hush API token in the input token.",
    );
  }
  const failed = (why: string, cause?: unknown) =>
    new ActionError(
      "ID_TOKEN",
      `GitHub's ID-token endpoint ${why}; the job's OpenID Connect token could not be read.`,
      { cause },
    );
  let response: Response;
  try {
    response = await fetch(`${url}&audience=${encodeURIComponent(audience)}`, {
      headers: { authorization: `bearer ${requestToken}`, accept: "application/json" },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw failed(
      `did not answer (${error instanceof Error ? error.message : String(error)})`,
      error,
    );
  }
  if (!response.ok) throw failed(`answered HTTP ${response.status}`);
  const body = (await response.json().catch(() => undefined)) as { value?: unknown } | undefined;
  if (typeof body?.value !== "string" || body.value === "") {
    throw failed("answered without a token");
  }
  return body.value;
}
