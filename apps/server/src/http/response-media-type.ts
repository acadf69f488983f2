import { ErrorCode } from "@hush/schema";
import type { FormattedError } from "../graphql/errors/formatted-error.js";

/** The legacy media type of GraphQL responses: well-formed requests get 200, whatever failed. */
export const JSON_MEDIA_TYPE = "application/json; charset=utf-8";

/**
 * The GraphQL-over-HTTP media type of GraphQL responses: a response without `data` gets a 4xx
 * or 5xx, so a client can tell the server's answers from an intermediary's by status alone.
 */
export const GRAPHQL_RESPONSE_MEDIA_TYPE = "application/graphql-response+json; charset=utf-8";

/** The `Content-Type` of an answer to a GraphQL request. */
export type ResponseMediaType = typeof JSON_MEDIA_TYPE | typeof GRAPHQL_RESPONSE_MEDIA_TYPE;

// Most requests never name the new type: one test of the header, and no parsing, answers them.
const NAMES_GRAPHQL_RESPONSE = /application\/graphql-response\+json/i;
const QUALITY = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i;
const CHARSET = /^\s*charset\s*=\s*"?([^"]*)"?\s*$/i;

/**
 * The media type to answer in, from the request's `Accept` header: the supported type of the
 * highest quality (`q`), the first listed on a tie. `application/json`, `application/*` and
 * `*\/*` stand for `application/json`. Without an Accept header, or with one that names no
 * supported type, the answer is `application/json`, as before the spec's second media type:
 * legacy clients send `Accept: text/html, …` or nothing.
 */
export function responseMediaType(accept: string | undefined): ResponseMediaType {
  if (accept === undefined || !NAMES_GRAPHQL_RESPONSE.test(accept)) return JSON_MEDIA_TYPE;
  let chosen: ResponseMediaType = JSON_MEDIA_TYPE;
  let best = 0;
  for (const range of accept.split(",")) {
    const [name = "", ...parameters] = range.split(";");
    const type = supportedType(name.trim().toLowerCase());
    if (type === undefined) continue;
    let quality = 1;
    let utf8 = true;
    for (const parameter of parameters) {
      const q = QUALITY.exec(parameter)?.[1];
      if (q !== undefined) quality = Math.min(1, Number(q));
      const charset = CHARSET.exec(parameter)?.[1]?.toLowerCase();
      if (charset !== undefined) utf8 = charset === "utf-8" || charset === "utf8";
    }
    // Answers are UTF-8 only: a range that asks for another charset is no match.
    if (utf8 && quality > best) {
      chosen = type;
      best = quality;
    }
  }
  return chosen;
}

function supportedType(name: string): ResponseMediaType | undefined {
  if (name === "application/graphql-response+json") return GRAPHQL_RESPONSE_MEDIA_TYPE;
  if (name === "application/json" || name === "application/*" || name === "*/*") {
    return JSON_MEDIA_TYPE;
  }
  return undefined;
}

// The status of an `application/graphql-response+json` answer that has no `data`, by the code
// of its first error: a refused request is 4xx (400 unless a better one says why), an outage 5xx.
const STATUS_WITHOUT_DATA_BY_CODE = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.BAD_REQUEST]: 400,
  [ErrorCode.GRAPHQL_PARSE_FAILED]: 400,
  [ErrorCode.GRAPHQL_VALIDATION_FAILED]: 400,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.INTERNAL_SERVER_ERROR]: 500,
} satisfies Record<ErrorCode, number>;
const STATUS_WITHOUT_DATA = new Map<string, number>(Object.entries(STATUS_WITHOUT_DATA_BY_CODE));

/**
 * The HTTP status of the GraphQL response to a well-formed request. As `application/json`,
 * always 200. As `application/graphql-response+json`, 200 when the response has `data` (even
 * `null`, with field errors); without `data` (the document did not parse or validate, the
 * variables did not coerce, the request was refused before it ran) the status its first error's
 * code calls for: 400 for bad input, 401 for a missing token, and so on.
 */
export function graphQLResponseStatus(
  body: { readonly data?: unknown; readonly errors?: readonly FormattedError[] | undefined },
  mediaType: ResponseMediaType,
): number {
  if (mediaType === JSON_MEDIA_TYPE || "data" in body) return 200;
  const code = body.errors?.[0]?.extensions.code;
  return (code === undefined ? undefined : STATUS_WITHOUT_DATA.get(code)) ?? 400;
}
