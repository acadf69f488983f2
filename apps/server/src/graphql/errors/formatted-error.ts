import { ErrorCode } from "@hush/schema";
import type { SourceLocation } from "../graphql-js.js";

/** A GraphQL error as the API sends it: `extensions.code` is always set. */
export interface FormattedError {
  readonly message: string;
  readonly locations?: readonly SourceLocation[];
  readonly path?: readonly (string | number)[];
  readonly extensions: { readonly code: string; readonly [key: string]: unknown };
}

/** The codes the transport itself produces, besides the service's own: the API's one vocabulary. */
export const TransportErrorCode = ErrorCode;

/** An error about the request as a whole (no locations or path). */
export function requestError(message: string, code: ErrorCode): FormattedError {
  return { message, extensions: { code } };
}

/** The message of a masked, unexpected error; the details are logged under the request id. */
export function maskedError(requestId: string): FormattedError {
  return {
    message: `Unexpected error; the server log has the details under request id ${requestId}.`,
    extensions: { code: TransportErrorCode.INTERNAL_SERVER_ERROR, requestId },
  };
}
