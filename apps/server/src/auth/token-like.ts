// "hush_" and at least as many token characters as `Authorization: Bearer` accepts: a real
// token (43 characters after the prefix), or a good part of one pasted by mistake.
const TOKEN_LIKE = /hush_[A-Za-z0-9_-]{16,}/;
const TOKENS_LIKE = new RegExp(TOKEN_LIKE.source, "g");

/** What is shown instead of something shaped like an API token. */
export const TOKEN_PLACEHOLDER = "hush_…";

/**
 * Whether a string holds something shaped like an API token (`hush_` and 16 or more letters,
 * digits, `_` or `-`). Such a string is never echoed, logged or stored: it may be a real token.
 */
export function containsTokenLike(text: string): boolean {
  return TOKEN_LIKE.test(text);
}

/** The text with everything shaped like an API token replaced by `hush_…`. */
export function redactTokenLike(text: string): string {
  return text.includes("hush_") ? text.replace(TOKENS_LIKE, TOKEN_PLACEHOLDER) : text;
}
