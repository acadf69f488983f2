import { HushError } from "@hush/errors";
import { ErrorCode, hasErrorCode, type ReceivedErrorExtensions } from "@hush/schema";

/**
 * The `extensions.code` values hush's server sends (`ErrorCode` of `@hush/schema`); any other
 * string may come too.
 */
export const ApiErrorCode = {
  ...ErrorCode,
  /** The server sent an error without a code. */
  UNKNOWN: "UNKNOWN",
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode] | (string & {});

/** One error of a GraphQL response, as the server sent it. */
export interface ApiErrorEntry {
  readonly message: string;
  readonly path?: ReadonlyArray<string | number>;
  readonly extensions: Readonly<Record<string, unknown>>;
}

/** Where an {@link ApiError} came from. */
export interface ApiErrorDetails {
  /** The operation's name, e.g. `SecretValue`; undefined for an anonymous one. */
  readonly operationName: string | undefined;
  /** The GraphQL URL the request went to. */
  readonly endpoint: string;
  /** The HTTP status of the answer. */
  readonly status: number;
  /** Every error of the response; the first one gave the code and message. */
  readonly errors: readonly ApiErrorEntry[];
}

/**
 * The hush server answered with a GraphQL error. `code` is the server's `extensions.code`
 * (`UNAUTHENTICATED`, `FORBIDDEN`, `NOT_FOUND`, `BAD_USER_INPUT`, … or `UNKNOWN`); `extensions`
 * holds the fields that code carries (`ErrorExtensionsByCode` of `@hush/schema`: the tenant and
 * required roles of a `FORBIDDEN`, the limit of a `BAD_USER_INPUT`, …), typed by
 * {@link isApiError}. It never carries the request's variables, and its message never contains a
 * secret value or the API token.
 *
 * @example
 * try { await client.secretValue("DB_URL"); }
 * catch (error) { if (isApiError(error, "NOT_FOUND")) error.extensions.tenant; }
 */
export class ApiError extends HushError {
  override readonly name: string = "ApiError";
  declare readonly code: ApiErrorCode;
  readonly operationName: string | undefined;
  readonly endpoint: string;
  readonly status: number;
  /** The first error's `extensions`, `code` included. */
  readonly extensions: Readonly<Record<string, unknown>>;
  /** The first error's path, e.g. `["secretValue"]`. */
  readonly path: ReadonlyArray<string | number> | undefined;
  readonly errors: readonly ApiErrorEntry[];

  constructor(code: ApiErrorCode, message: string, details: ApiErrorDetails) {
    super(code, message);
    this.operationName = details.operationName;
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.errors = details.errors;
    this.extensions = details.errors[0]?.extensions ?? { code };
    this.path = details.errors[0]?.path;
  }
}

/** An {@link ApiError} with code `C`, whose `extensions` are typed as that code's fields. */
export type ApiErrorOf<C extends ErrorCode> = ApiError & {
  readonly code: C;
  readonly extensions: ReceivedErrorExtensions<C>;
};

/**
 * Whether `error` is an {@link ApiError} with code `code`; its `extensions` are then typed as the
 * fields `@hush/schema` defines for that code, each of which may be missing (an older server
 * leaves out what it did not know).
 *
 * @example
 * if (isApiError(error, "RATE_LIMITED")) await sleep((error.extensions.retryAfterSeconds ?? 1) * 1000);
 */
export function isApiError<C extends ErrorCode>(error: unknown, code: C): error is ApiErrorOf<C> {
  return error instanceof ApiError && error.code === code && hasErrorCode(error.extensions, code);
}
