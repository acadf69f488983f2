import { type InterpolationHost, interpolate } from "./interpolate.js";

/**
 * A secret written as JSON text (an object or an array), interpolated inside its string leaves
 * and written back as JSON, so that a quote, backslash or newline in a variable's value stays
 * inside its string and the secret keeps its shape: `'{"password": "$DB_PASSWORD"}'` with
 * `DB_PASSWORD='p"w'` gives `{"password":"p\"w"}`. Keys are not interpolated.
 *
 * @returns undefined when `raw` is not JSON text, or has nothing to interpolate (no `$` or `~`);
 * interpolate it as plain text then.
 */
export function interpolateJsonText(raw: string, host: InterpolationHost): string | undefined {
  if (!raw.includes("$") && !raw.includes("~")) return undefined;
  const first = raw.trimStart().charCodeAt(0);
  if (first !== 0x7b /* { */ && first !== 0x5b /* [ */) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  return JSON.stringify(interpolateLeaves(parsed, host));
}

function interpolateLeaves(value: unknown, host: InterpolationHost): unknown {
  if (typeof value === "string") return interpolate(value, host);
  if (Array.isArray(value)) return value.map((item) => interpolateLeaves(item, host));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      // defineProperty, so a "__proto__" key stays an ordinary key as JSON.parse made it.
      Object.defineProperty(out, key, {
        value: interpolateLeaves(item, host),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
