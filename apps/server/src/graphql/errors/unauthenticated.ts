import { ErrorCode, type ErrorExtensions, type UnauthenticatedReason } from "@hush/schema";
import type { FormattedError } from "./formatted-error.js";

// The server's advice on getting a token, given once for every UNAUTHENTICATED answer.
const HOW_TO_GET_A_TOKEN =
  "Create one with `hush-server token create --role RUNNER --name NAME` on the server, or ask a tenant admin to create one with the createApiToken mutation.";

const MESSAGES: Readonly<Record<UnauthenticatedReason, string>> = {
  missing: `This operation needs an API token: send the header "Authorization: Bearer hush_…". ${HOW_TO_GET_A_TOKEN}`,
  rejected: `The API token is unknown, expired or revoked. ${HOW_TO_GET_A_TOKEN}`,
  malformed: `The Authorization header must be "Bearer hush_…" with one API token, or left out. ${HOW_TO_GET_A_TOKEN}`,
};

/** What an UNAUTHENTICATED answer says, for each reason. */
export function unauthenticatedMessage(reason: UnauthenticatedReason): string {
  return MESSAGES[reason];
}

/** An UNAUTHENTICATED error's `extensions`. */
export function unauthenticatedExtensions(
  reason: UnauthenticatedReason,
): ErrorExtensions<"UNAUTHENTICATED"> {
  return { code: ErrorCode.UNAUTHENTICATED, reason };
}

/** An UNAUTHENTICATED error about the request as a whole, with `message` or the reason's own. */
export function unauthenticatedError(
  reason: UnauthenticatedReason,
  message = unauthenticatedMessage(reason),
): FormattedError {
  return { message, extensions: unauthenticatedExtensions(reason) };
}
