import { decodeSecretText } from "@hush/config";

/**
 * Prefect's rule, made to lose nothing: a string that is JSON comes back parsed when that keeps
 * everything it says (`"42"` → 42, `'"42"'` → "42", but `"007"`, `"1e3"` and
 * `"12345678901234567890"` stay strings; see {@link decodeSecretText}), any other string as it is.
 * Non-strings come back as a mutable copy, so a caller can change what it got without touching
 * the frozen config, a run context or the cache.
 */
export function decodeValue(raw: unknown): unknown {
  if (typeof raw === "string") return decodeSecretText(raw);
  return copyValue(raw);
}

/** The raw string of a value: strings as they are, anything else serialised as JSON. */
export function encodeValue(raw: unknown): string {
  if (typeof raw === "string") return raw;
  // JSON.stringify(undefined) is undefined; a secret set to undefined in a run context reads as "".
  return JSON.stringify(raw) ?? "";
}

function copyValue(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object") return raw;
  try {
    return structuredClone(raw);
  } catch {
    // Something a run context was given that cannot be cloned (e.g. holds a function): hand it back.
    return raw;
  }
}
