/**
 * Whether a key of a JSON object is refused wherever a JSON value comes in: `__proto__`, and
 * `constructor` holding an object with `prototype` — the keys Fastify's body parser refuses,
 * so literals in a document and variables follow the same rule. graphql-jit writes literal
 * arguments into the code it generates as object literals, where `__proto__` would set the
 * prototype instead of a key: the stored value would differ from the one sent.
 */
export function isRefusedJsonKey(key: string, value: unknown): boolean {
  if (key === "__proto__") return true;
  return (
    key === "constructor" &&
    typeof value === "object" &&
    value !== null &&
    Object.hasOwn(value, "prototype")
  );
}

/** The rule, for messages. */
export const REFUSED_JSON_KEYS = 'keys named "__proto__" (or "constructor" holding "prototype")';
