import { requestGitHubIdToken } from "@hush/core";
import { ActionError } from "./action-error.js";

/** How long GitHub's ID-token endpoint may take to answer. */
const TIMEOUT_MS = 10_000;

/**
 * The job's OpenID Connect token for `audience`, from GitHub's ID-token endpoint (asked by
 * `@hush/core`'s `requestGitHubIdToken`, as `[cloud] identity = "github-actions"` does), or an
 * `ActionError` saying what the workflow must change.
 */
export async function requestIdToken(env: NodeJS.ProcessEnv, audience: string): Promise<string> {
  const asked = await requestGitHubIdToken(env, audience, TIMEOUT_MS);
  if ("token" in asked) return asked.token;
  const { failure } = asked;
  if (failure.kind === "not-set") {
    throw new ActionError(
      "NOT_IN_ACTIONS",
      `GitHub gave this step no OpenID Connect token (${failure.variable} is not set): add \`permissions: id-token: write\` to the job, or pass a hush API token in the input token.`,
    );
  }
  const why =
    failure.kind === "timeout"
      ? `did not answer within ${TIMEOUT_MS / 1000} s`
      : failure.kind === "network"
        ? "could not be reached"
        : failure.kind === "status"
          ? `answered HTTP ${failure.status}`
          : "answered without a token";
  throw new ActionError(
    "ID_TOKEN",
    `GitHub's ID-token endpoint ${why}; the job's OpenID Connect token could not be read.`,
  );
}
