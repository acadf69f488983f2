import { type InterpolationHost, interpolate } from "./interpolate.js";
import { jsonTokensWithKeys } from "./json-tokens.js";

/**
 * A secret written as JSON text (an object or an array), interpolated inside its string leaves
 * only, so that a quote, backslash or newline in a variable's value stays inside its string and
 * the secret keeps its shape: `'{"password": "$DB_PASSWORD"}'` with `DB_PASSWORD='p"w'` gives
 * `{"password": "p\"w"}`. Keys are not interpolated, and everything else (numbers, spacing) stays
 * exactly as written, so no digit of `12345678901234567890` is lost.
 *
 * @returns undefined when `raw` is not JSON text, or has nothing to interpolate (no `$` or `~`);
 * interpolate it as plain text then.
 */
export function interpolateJsonText(raw: string, host: InterpolationHost): string | undefined {
  if (!raw.includes("$") && !raw.includes("~")) return undefined;
  const first = raw.trimStart().charCodeAt(0);
  if (first !== 0x7b /* { */ && first !== 0x5b /* [ */) return undefined;
  try {
    JSON.parse(raw);
  } catch {
    return undefined;
  }
  let out = "";
  let done = 0;
  for (const token of jsonTokensWithKeys(raw)) {
    if (token.kind !== "string" || token.isKey) continue;
    const leaf = JSON.parse(raw.slice(token.start, token.end)) as string;
    const value = interpolate(leaf, host);
    // A leaf that is exactly one `${…}` reference keeps the referenced value's type.
    out += raw.slice(done, token.start) + (JSON.stringify(value) ?? "null");
    done = token.end;
  }
  return out + raw.slice(done);
}
