import { API_TOKEN_CHARS, API_TOKEN_PREFIX, TOKEN_LIKE_MIN_CHARS } from "@hush/schema";

/** The outcome of reading an `Authorization` header. */
export type Authorization =
  | { readonly kind: "none" }
  | { readonly kind: "bearer"; readonly token: string }
  | { readonly kind: "malformed" };

const NONE: Authorization = { kind: "none" };
const MALFORMED: Authorization = { kind: "malformed" };

/**
 * The most token characters after `hush_` that the parser reads, well above a real token's 43:
 * a parsing limit, so that a longer header is refused as malformed before any lookup.
 */
const MAX_BEARER_TOKEN_CHARS = 256;

/** The longest `Authorization` header read at all. */
const MAX_HEADER_LENGTH = 300;

// `Bearer` (any case, RFC 7235) and one hush token: "hush_" then base64url characters, as many
// as make a text token-like, up to the parsing limit.
const BEARER = new RegExp(
  `^[Bb][Ee][Aa][Rr][Ee][Rr] +(${API_TOKEN_PREFIX}${API_TOKEN_CHARS}{${TOKEN_LIKE_MIN_CHARS},${MAX_BEARER_TOKEN_CHARS}})$`,
);

/** Reads `Authorization: Bearer hush_…`; a header of any other shape is `malformed`. */
export function parseAuthorization(header: string | string[] | undefined): Authorization {
  if (header === undefined) return NONE;
  if (typeof header !== "string" || header.length > MAX_HEADER_LENGTH) return MALFORMED;
  const token = BEARER.exec(header)?.[1];
  return token === undefined ? MALFORMED : { kind: "bearer", token };
}
