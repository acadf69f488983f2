/** The outcome of reading an `Authorization` header. */
export type Authorization =
  | { readonly kind: "none" }
  | { readonly kind: "bearer"; readonly token: string }
  | { readonly kind: "malformed" };

const NONE: Authorization = { kind: "none" };
const MALFORMED: Authorization = { kind: "malformed" };

// `Bearer` (any case, RFC 7235) and one hush token: "hush_" then base64url characters.
const BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] +(hush_[A-Za-z0-9_-]{16,256})$/;

/** Reads `Authorization: Bearer hush_…`; a header of any other shape is `malformed`. */
export function parseAuthorization(header: string | string[] | undefined): Authorization {
  if (header === undefined) return NONE;
  if (typeof header !== "string" || header.length > 300) return MALFORMED;
  const token = BEARER.exec(header)?.[1];
  return token === undefined ? MALFORMED : { kind: "bearer", token };
}
