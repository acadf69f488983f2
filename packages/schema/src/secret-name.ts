import { containsTokenLike, TOKEN_LIKE_REASON } from "./token-shape.js";

/**
 * The rule for secret (and tenant) names: letters, digits, `_`, `.` and `-`, 1 to 255
 * characters, not starting with `.`. `pattern` is the whole rule but one part: a name that holds
 * something shaped like an API token is refused too (see `secretNameError`).
 */
export const SECRET_NAME_RULE = {
  pattern: /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,254}$/,
  maxLength: 255,
  message:
    'names use only letters, digits, "_", "." and "-", are 1 to 255 characters long and do not start with "."',
} as const;

const NAME_CHARS = /^[A-Za-z0-9_.-]+$/;

/**
 * What is wrong with a secret name, as a sentence, or undefined when it is a good one. The
 * sentence names the broken rule but never echoes the name: a value, or an API token, pasted
 * into the name field by mistake must not end up in an error or a log.
 *
 * @param what - how the sentence names it
 * @default what "secret name"
 * @example
 * secretNameError(".env"); // 'The secret name starts with ".": names use only …'
 */
export function secretNameError(name: unknown, what = "secret name"): string | undefined {
  const rule = SECRET_NAME_RULE.message;
  if (typeof name !== "string") return `The ${what} must be a string: ${rule}.`;
  if (name.length === 0) return `The ${what} is empty: ${rule}.`;
  if (name.length > SECRET_NAME_RULE.maxLength) {
    return `The ${what} is ${name.length} characters long: ${rule}.`;
  }
  if (!NAME_CHARS.test(name))
    return `The ${what} contains a character that is not allowed: ${rule}.`;
  if (name.startsWith(".")) return `The ${what} starts with ".": ${rule}.`;
  if (containsTokenLike(name)) return `The ${what} ${TOKEN_LIKE_REASON}.`;
  return undefined;
}
