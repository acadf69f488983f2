import { redactTokenLike } from "@hush/schema";
import { ServiceError } from "../../service/errors.js";
import { GraphQLError } from "../graphql-js.js";
import { type FormattedError, maskedError } from "./formatted-error.js";
import { scrubMessage } from "./scrub-message.js";

/**
 * A parse or validation error: graphql-js's message (without quoted input) and locations; the
 * code is the error's own (scalars set BAD_USER_INPUT) or `code`.
 */
export function formatDocumentError(error: GraphQLError, code: string): FormattedError {
  const own = error.extensions?.code;
  return {
    message: scrubMessage(error.message),
    ...(error.locations ? { locations: error.locations } : {}),
    extensions: { code: typeof own === "string" ? own : code },
  };
}

/**
 * A ServiceError as the API sends it: its message and its code with its extensions (the fields
 * of `ErrorExtensionsByCode` of @hush/schema), never with anything shaped like a token.
 */
export function formatServiceError(error: ServiceError): FormattedError {
  const { code: _ignored, ...extensions } = error.extensions;
  return {
    message: redactTokenLike(error.message),
    extensions: { code: error.code, ...(redactFields(extensions) as Record<string, unknown>) },
  };
}

/** `value` with every string in it (in lists and objects too) put through `redactTokenLike`. */
function redactFields(value: unknown): unknown {
  if (typeof value === "string") return redactTokenLike(value);
  if (Array.isArray(value)) return value.map(redactFields);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactFields(v)]));
  }
  return value;
}

/** Called with each unexpected error before it is masked, to log it. */
export type UnexpectedErrorHandler = (
  error: unknown,
  path: readonly (string | number)[] | undefined,
) => void;

/**
 * The one place an execution error becomes an API error: a ServiceError keeps its message (never
 * with anything shaped like a token) and code (plus its extensions); a GraphQL error that carries a code keeps it; anything else is a
 * bug or an outage, so it is handed to `onUnexpected` and masked.
 */
export function formatExecutionError(
  error: GraphQLError,
  requestId: string,
  onUnexpected: UnexpectedErrorHandler,
): FormattedError {
  const original: unknown = error.originalError ?? error;
  const where = {
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
  };
  if (original instanceof ServiceError) {
    const { message, extensions } = formatServiceError(original);
    return { message, ...where, extensions };
  }
  if (original instanceof GraphQLError && typeof original.extensions?.code === "string") {
    return {
      message: scrubMessage(original.message),
      ...where,
      extensions: { code: original.extensions.code },
    };
  }
  onUnexpected(original, error.path);
  return { ...maskedError(requestId), ...where };
}
