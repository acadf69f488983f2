import { HushError } from "@hush/errors";
import { ErrorCode } from "@hush/schema";

/** The API's codes a caller can act on; the transport puts them in `extensions.code`. */
export const ServiceErrorCode = {
  UNAUTHENTICATED: ErrorCode.UNAUTHENTICATED,
  FORBIDDEN: ErrorCode.FORBIDDEN,
  NOT_FOUND: ErrorCode.NOT_FOUND,
  BAD_USER_INPUT: ErrorCode.BAD_USER_INPUT,
  /** Too many attempts of an operation that runs without a caller (an identity exchange). */
  RATE_LIMITED: ErrorCode.RATE_LIMITED,
} as const;
export type ServiceErrorCode = (typeof ServiceErrorCode)[keyof typeof ServiceErrorCode];

/**
 * An error the caller caused and can fix. Its message is shown to the caller as it is, so it
 * must never contain a secret value or a token; `extensions` are added to the GraphQL error.
 */
export class ServiceError extends HushError {
  override readonly name: string = "ServiceError";
  declare readonly code: ServiceErrorCode;
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    code: ServiceErrorCode,
    message: string,
    options?: { cause?: unknown; extensions?: Record<string, unknown> },
  ) {
    super(code, message, options);
    this.extensions = options?.extensions ?? {};
  }
}
