/** What every API token starts with. */
export const API_TOKEN_PREFIX = "hush_";

/** The characters of a token after its prefix (base64url), as a regular-expression class. */
export const API_TOKEN_CHARS = "[A-Za-z0-9_-]";

/** How many characters follow the prefix in a token the server issues (32 bytes, base64url). */
export const API_TOKEN_LENGTH = 43;

/**
 * How many token characters after `hush_` make a text token-like: a real token, or a good part
 * of one pasted by mistake. The server's `Authorization: Bearer` parser takes no shorter token.
 */
export const TOKEN_LIKE_MIN_CHARS = 16;

/** What is shown instead of something shaped like an API token. */
export const TOKEN_PLACEHOLDER = `${API_TOKEN_PREFIX}…`;

const API_TOKEN = new RegExp(`^${API_TOKEN_PREFIX}${API_TOKEN_CHARS}{${API_TOKEN_LENGTH}}$`);
const TOKEN_LIKE = new RegExp(`${API_TOKEN_PREFIX}${API_TOKEN_CHARS}{${TOKEN_LIKE_MIN_CHARS},}`);
const TOKENS_LIKE = new RegExp(TOKEN_LIKE.source, "g");

/**
 * Whether a string has the shape of an API token as the server issues them: `hush_` and 43
 * base64url characters. It may still be unknown, revoked or expired.
 */
export function isApiTokenShaped(text: string): boolean {
  return API_TOKEN.test(text);
}

/**
 * Whether a string holds something shaped like an API token (`hush_` and 16 or more letters,
 * digits, `_` or `-`). Such a string is never echoed, logged or stored: it may be a real token.
 */
export function containsTokenLike(text: string): boolean {
  return TOKEN_LIKE.test(text);
}

/** The text with everything shaped like an API token replaced by `hush_…`. */
export function redactTokenLike(text: string): string {
  return text.includes(API_TOKEN_PREFIX) ? text.replace(TOKENS_LIKE, TOKEN_PLACEHOLDER) : text;
}

/**
 * Why a name holding something token-like is refused, to follow "The secret name " or "The
 * token name ": the rule, without the name.
 */
export const TOKEN_LIKE_REASON = `looks like an API token (${API_TOKEN_PREFIX} followed by ${TOKEN_LIKE_MIN_CHARS} or more letters, digits, _ or -), and tokens are never stored or echoed; if it is a real token, revoke it`;
