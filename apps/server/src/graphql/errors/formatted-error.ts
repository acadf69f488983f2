import type { SourceLocation } from "../graphql-js.js";

/** A GraphQL error as the API sends it: `extensions.code` is always set. */
export interface FormattedError {
  readonly message: string;
  readonly locations?: readonly SourceLocation[];
  readonly path?: readonly (string | number)[];
  readonly extensions: { readonly code: string; readonly [key: string]: unknown };
}

/** The codes the transport itself produces, besides the service's own. */
export const TransportErrorCode = {
  BAD_REQUEST: "BAD_REQUEST",
  GRAPHQL_PARSE_FAILED: "GRAPHQL_PARSE_FAILED",
  GRAPHQL_VALIDATION_FAILED: "GRAPHQL_VALIDATION_FAILED",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;

/** An error about the request as a whole (no locations or path). */
export function requestError(message: string, code: string): FormattedError {
  return { message, extensions: { code } };
}

/** The message of a masked, unexpected error; the details are logged under the request id. */
export function maskedError(requestId: string): FormattedError {
  return {
    message: `Unexpected error; the server log has the details under request id ${requestId}.`,
    extensions: { code: TransportErrorCode.INTERNAL_SERVER_ERROR, requestId },
  };
}
