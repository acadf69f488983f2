import { HushError } from "@hush/errors";

/** Why a request got no usable GraphQL answer. */
export const TransportErrorCode = {
  /** The server could not be reached, or the connection broke. */
  NETWORK: "NETWORK",
  /** No complete answer within `timeoutMs`. */
  TIMEOUT: "TIMEOUT",
  /** The answer was not a GraphQL response (not JSON, or the wrong shape). */
  BAD_RESPONSE: "BAD_RESPONSE",
  /** An HTTP error status without a GraphQL error in the body. */
  HTTP_ERROR: "HTTP_ERROR",
} as const;
export type TransportErrorCode = (typeof TransportErrorCode)[keyof typeof TransportErrorCode];

/** Where a {@link TransportError} happened. */
export interface TransportErrorDetails {
  /** The operation's name, e.g. `SecretValue`; undefined for an anonymous one. */
  readonly operationName: string | undefined;
  /** The GraphQL URL the request went to. */
  readonly endpoint: string;
  /** How many times the request was sent (retries included). */
  readonly attempts: number;
  /** The HTTP status, when an answer came. */
  readonly status?: number | undefined;
  /** The low-level error (a network or abort error), when there is one. */
  readonly cause?: unknown;
}

/**
 * The request did not get a GraphQL answer from the hush server: `NETWORK`, `TIMEOUT`,
 * `BAD_RESPONSE` or `HTTP_ERROR`. The message names the endpoint and the cause and says what to
 * check; it never contains a secret value or the API token.
 */
export class TransportError extends HushError {
  override readonly name: string = "TransportError";
  declare readonly code: TransportErrorCode;
  readonly operationName: string | undefined;
  readonly endpoint: string;
  readonly attempts: number;
  readonly status: number | undefined;

  constructor(code: TransportErrorCode, message: string, details: TransportErrorDetails) {
    super(code, message, details.cause === undefined ? undefined : { cause: details.cause });
    this.operationName = details.operationName;
    this.endpoint = details.endpoint;
    this.attempts = details.attempts;
    this.status = details.status;
  }
}
