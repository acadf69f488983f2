import { hash, randomBytes } from "node:crypto";
import { API_TOKEN_PREFIX, isApiTokenShaped } from "@hush/schema";

/** A new bearer token: `hush_` and 32 random bytes, base64url. */
export function generateApiToken(): string {
  return API_TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

/** Whether a string has the shape of a token (it may still be unknown). */
export function looksLikeApiToken(token: string): boolean {
  return isApiTokenShaped(token);
}

/**
 * What is stored instead of the token. Tokens are 256-bit random, so a plain SHA-256 cannot be
 * brute-forced, and looking up the hash leaks nothing about the token through timing.
 */
export function hashApiToken(token: string): string {
  // The one-shot form: about half the cost of createHash().update().digest() on a short input.
  return hash("sha256", token, "hex");
}
