import { ErrorCode } from "./error-code.js";
import type { Permission } from "./permissions.js";
import type { RequestLimit } from "./request-limit.js";
import type { RoleName } from "./roles.js";

/**
 * Why a request was UNAUTHENTICATED: no bearer token (`missing`), an `Authorization` header
 * that is not one bearer token (`malformed`), or a token the server does not accept
 * (`rejected`: unknown, revoked or expired; the server does not say which, so that a refusal
 * never confirms that a token once existed).
 */
export const UnauthenticatedReason = {
  MISSING: "missing",
  MALFORMED: "malformed",
  REJECTED: "rejected",
} as const;
export type UnauthenticatedReason =
  (typeof UnauthenticatedReason)[keyof typeof UnauthenticatedReason];

/** Which of the server's rate limits refused a request (HTTP 429). */
export const RateLimitScope = {
  /** Requests per window from one client address. */
  ADDRESS: "address",
  /** Requests per window with one API token. */
  TOKEN: "token",
  /** One token that failed to authenticate too often from one address. */
  INVALID_TOKEN: "invalid_token",
  /** Too many different invalid tokens from one address (guessing). */
  INVALID_TOKENS: "invalid_tokens",
} as const;
export type RateLimitScope = (typeof RateLimitScope)[keyof typeof RateLimitScope];

/**
 * The fields each error code carries in `extensions`, beside `code`: what a client needs to act
 * on without reading the message. Every field is the caller's own business (its tenant, its
 * role, names it sent); none is ever a secret value or anything shaped like a token.
 */
export interface ErrorExtensionsByCode {
  readonly UNAUTHENTICATED: {
    readonly reason: UnauthenticatedReason;
  };
  readonly FORBIDDEN: {
    /** The caller's tenant. */
    readonly tenant: string;
    /** The caller's role. */
    readonly role: RoleName;
    /** The roles that may do what was refused. */
    readonly requiredRoles: readonly RoleName[];
    /** The kind of operation refused (`permissions` of `@hush/schema`). */
    readonly permission: Permission;
    /** The secret whose name was refused, for `writeStartupVariables`. */
    readonly name?: string;
    /** The environment refused, for `useEnvironment`: the token is not scoped to it. */
    readonly environment?: string;
  };
  readonly NOT_FOUND: {
    /** The tenant that was searched: the caller's, or the one named. */
    readonly tenant?: string;
    /** The one secret not found. */
    readonly name?: string;
    /** The API token id not found. */
    readonly id?: string;
    /** Every secret a `secretValues` read did not find. */
    readonly names?: readonly string[];
    /** The version not found, for a version of a secret. */
    readonly version?: number;
  };
  readonly BAD_USER_INPUT: {
    /** The argument or input field at fault, e.g. `limit`, `names`, `value`. */
    readonly argument?: string;
    /** The limit broken, when a limit was (see {@link RequestLimit}). */
    readonly limit?: RequestLimit;
    /** That limit's value. */
    readonly max?: number;
    /** What the request asked for, against `max`. */
    readonly requested?: number;
  };
  readonly RATE_LIMITED: {
    /** Seconds to wait before trying again (also the `Retry-After` header). */
    readonly retryAfterSeconds: number;
    readonly scope: RateLimitScope;
  };
  readonly INTERNAL_SERVER_ERROR: {
    /** The request id the server logged the error under. */
    readonly requestId?: string;
  };
  readonly BAD_REQUEST: Record<never, never>;
  readonly GRAPHQL_PARSE_FAILED: Record<never, never>;
  readonly GRAPHQL_VALIDATION_FAILED: Record<never, never>;
}

/**
 * The `extensions` of an error with code `C`, as the server sends them.
 *
 * @example
 * const refusal: ErrorExtensions<"RATE_LIMITED"> =
 *   { code: "RATE_LIMITED", retryAfterSeconds: 3, scope: "token" };
 */
export type ErrorExtensions<C extends ErrorCode = ErrorCode> = {
  [K in C]: { readonly code: K } & ErrorExtensionsByCode[K];
}[C];

/**
 * The `extensions` of an error with code `C` as a client may receive them: every field but
 * `code` may be missing (a server older than the field leaves it out).
 */
export type ReceivedErrorExtensions<C extends ErrorCode = ErrorCode> = {
  [K in C]: { readonly code: K } & Partial<ErrorExtensionsByCode[K]>;
}[C];

const CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));

/**
 * Whether `extensions` (of a GraphQL error) have the code `code`; they are then typed as that
 * code's fields, each of which may be missing.
 *
 * @example
 * if (hasErrorCode(error.extensions, "FORBIDDEN")) error.extensions.requiredRoles; // RoleName[] | undefined
 */
export function hasErrorCode<C extends ErrorCode>(
  extensions: unknown,
  code: C,
): extensions is ReceivedErrorExtensions<C> {
  return (
    typeof extensions === "object" &&
    extensions !== null &&
    CODES.has(code) &&
    (extensions as { code?: unknown }).code === code
  );
}
