/**
 * Prefect's rule: a string that parses as JSON comes back parsed (`"42"` → 42, `'"42"'` → "42"),
 * any other string as it is. Non-strings come back as a mutable copy, so a caller can change what
 * it got without touching the frozen config, a run context or the cache.
 */
export function decodeValue(raw: unknown): unknown {
  if (typeof raw === "string") {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
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
