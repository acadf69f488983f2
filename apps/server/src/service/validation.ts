import {
  containsTokenLike,
  type ErrorExtensions,
  hasUnsafeDisplayChars,
  RequestLimit,
  secretNameError,
  TOKEN_LIKE_REASON,
} from "@hush/schema";
import { ServiceError } from "./errors.js";

/**
 * Checks a secret name against `SECRET_NAME_RULE` of `@hush/schema`. The message names the
 * broken rule but never echoes the input: a value pasted into the name field by mistake must not
 * end up in an error or a log. A name holding something shaped like an API token is refused, so
 * that a token pasted by mistake is neither echoed (in a NOT_FOUND message) nor stored (as a
 * name, or in an audit event).
 */
export function validateSecretName(name: unknown, what = "secret name"): string {
  const problem = secretNameError(name, what);
  if (problem !== undefined) throw badInput(problem);
  return name as string;
}

/** Checks a tenant name: the same rule as secret names, at most 100 characters. */
export function validateTenantName(name: unknown): string {
  validateSecretName(name, "tenant name");
  if ((name as string).length > 100) {
    throw badInput("The tenant name is longer than 100 characters; choose a shorter one.");
  }
  return name as string;
}

const TOKEN_NAME_RULE =
  "1 to 100 characters, none of them a control, bidi, zero-width or line-separator character, not starting or ending with a space, e.g. ci-runner";

/**
 * Checks an API token's display name, which audit events, `hush tokens list` and the console
 * show: 1 to 100 characters, none that changes how the text around it is shown or is not shown
 * at all (`hasUnsafeDisplayChars` of `@hush/schema`: controls, bidi overrides, zero-width and
 * format characters, line separators), no surrounding spaces. Returned in Unicode NFC, so that
 * two names that look the same are the same. Never echoes the input.
 */
export function validateTokenName(name: unknown): string {
  if (typeof name !== "string" || name.length === 0 || name.length > 100) {
    throw badInput(`The token name must be ${TOKEN_NAME_RULE}.`);
  }
  if (hasUnsafeDisplayChars(name)) {
    throw badInput(
      `The token name contains a character that is not allowed: it must be ${TOKEN_NAME_RULE}.`,
    );
  }
  if (name.trim() !== name) {
    throw badInput("The token name must not start or end with spaces, e.g. ci-runner.");
  }
  if (containsTokenLike(name)) throw badInput(`The token name ${TOKEN_LIKE_REASON}.`);
  return name.normalize("NFC");
}

const TOKEN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Checks an API token's id (a UUID, as apiTokens lists it). Never echoes the input: pasting the
 * token itself where its id belongs is an easy mistake.
 */
export function validateTokenId(id: unknown): string {
  if (typeof id === "string" && TOKEN_ID.test(id)) return id;
  throw badInput(
    typeof id === "string" && containsTokenLike(id)
      ? "That is an API token, not a token id: pass the id that apiTokens lists for it (a UUID). The token was not stored or logged."
      : "The token id must be the id that apiTokens lists (a UUID such as 0190a4f2-5c3e-7b1a-8d2f-3e4c5b6a7d8e).",
  );
}

/**
 * Serialises a value to the JSON bytes that are encrypted. Never echoes the value.
 */
export function serializeValue(value: unknown, maxValueBytes: number): Buffer {
  if (value === null || value === undefined) {
    throw badInput("A secret's value cannot be null; to remove a secret, delete it.", {
      argument: "value",
    });
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) {
    throw badInput(
      "The value cannot be serialised as JSON; use a string, number, boolean, object or array.",
      { argument: "value" },
    );
  }
  const bytes = Buffer.from(json, "utf8");
  if (bytes.length > maxValueBytes) {
    throw badInput(
      `The value is ${bytes.length} bytes serialised as JSON; the limit is ${maxValueBytes} bytes. ` +
        "Store large files elsewhere and keep only a reference or key here.",
      {
        argument: "value",
        limit: RequestLimit.VALUE_SIZE,
        max: maxValueBytes,
        requested: bytes.length,
      },
    );
  }
  return bytes;
}

/** A BAD_USER_INPUT error, with the fields of `extensions` (never a value or a token). */
export function badInput(
  message: string,
  extensions?: Omit<ErrorExtensions<"BAD_USER_INPUT">, "code">,
): ServiceError {
  return new ServiceError("BAD_USER_INPUT", message, extensions ? { extensions } : undefined);
}
