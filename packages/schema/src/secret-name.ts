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

/**
 * The rule for environment names (`production`, `staging`, `eu-west-1`…): lowercase letters,
 * digits and `-`, 1 to 32 characters, starting and ending with a letter or digit.
 */
export const ENVIRONMENT_NAME_RULE = {
  pattern: /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/,
  maxLength: 32,
  message:
    'environment names use only lowercase letters, digits and "-", are 1 to 32 characters long and start and end with a letter or digit',
} as const;

/**
 * What is wrong with an environment name, as a sentence, or undefined when it is a good one.
 * Like `secretNameError`, it never echoes the name.
 *
 * @example environmentNameError("Prod"); // 'The environment name contains a character …'
 */
export function environmentNameError(name: unknown): string | undefined {
  const rule = ENVIRONMENT_NAME_RULE.message;
  if (typeof name !== "string") return `The environment name must be a string: ${rule}.`;
  if (name.length === 0) return `The environment name is empty: ${rule}.`;
  if (name.length > ENVIRONMENT_NAME_RULE.maxLength) {
    return `The environment name is ${name.length} characters long: ${rule}.`;
  }
  if (!/^[a-z0-9-]+$/.test(name)) {
    return `The environment name contains a character that is not allowed: ${rule}.`;
  }
  if (!ENVIRONMENT_NAME_RULE.pattern.test(name)) {
    return `The environment name starts or ends with "-": ${rule}.`;
  }
  return undefined;
}
