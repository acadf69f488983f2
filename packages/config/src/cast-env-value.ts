// Decimal numbers as people write them; a leading zero ("0123", a PIN or a ZIP code) stays a
// string so nothing is lost.
const NUMBER = /^[+-]?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * Casts a `HUSH__…` value: `true`/`false` in any case to a boolean, a decimal number to a number,
 * a JSON object or array to its value; anything else is returned exactly as given (real newlines
 * and backslash sequences such as `\n` in a JSON key file included).
 */
export function castEnvValue(raw: string): unknown {
  const lower = raw.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  if (NUMBER.test(raw)) {
    const value = Number(raw);
    // Integers past 2^53 would silently change; keep their digits as a string.
    const isInteger = !/[.eE]/.test(raw);
    if (Number.isFinite(value) && (!isInteger || Number.isSafeInteger(value))) return value;
    return raw;
  }
  const first = raw.trimStart().charCodeAt(0);
  if (first === 0x7b /* { */ || first === 0x5b /* [ */) {
    try {
      // Text that starts with "{" or "[" and parses is an object or an array.
      return JSON.parse(raw) as unknown;
    } catch {
      // Not JSON after all (a real newline inside a JSON string, say): keep the text.
    }
  }
  return raw;
}
