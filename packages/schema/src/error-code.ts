/**
 * The `extensions.code` of every error the hush API answers with: the server sets them, the
 * clients match on them.
 *
 * @example
 * if (error.extensions.code === ErrorCode.NOT_FOUND) …
 */
export const ErrorCode = {
  /** No bearer token, or one the server does not accept (unknown, revoked or expired). */
  UNAUTHENTICATED: "UNAUTHENTICATED",
  /** The token's role may not do this. */
  FORBIDDEN: "FORBIDDEN",
  /** The secret, version or token does not exist in the caller's tenant. */
  NOT_FOUND: "NOT_FOUND",
  /** An argument breaks a rule of the API (a name, a value, a limit); the message names it. */
  BAD_USER_INPUT: "BAD_USER_INPUT",
  /** The HTTP request itself is not a GraphQL request the server can take. */
  BAD_REQUEST: "BAD_REQUEST",
  /** The GraphQL document does not parse. */
  GRAPHQL_PARSE_FAILED: "GRAPHQL_PARSE_FAILED",
  /** The GraphQL document does not fit the schema. */
  GRAPHQL_VALIDATION_FAILED: "GRAPHQL_VALIDATION_FAILED",
  /** Too many requests (HTTP 429); `Retry-After` says when to try again. */
  RATE_LIMITED: "RATE_LIMITED",
  /** Something unexpected failed on the server; its log has the details. */
  INTERNAL_SERVER_ERROR: "INTERNAL_SERVER_ERROR",
} as const;

/** One of {@link ErrorCode}'s values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
