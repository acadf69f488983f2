import { jsonTokensWithKeys } from "./json-tokens.js";

/**
 * Prefect's rule for a secret's text — a text that parses as JSON comes back parsed — made to
 * lose nothing. The text comes back as it is unless:
 *
 * - it is a number that prints back as exactly the same text: `"5432"` → 5432, `"-7.5"` → -7.5;
 *   but `"007"`, `"1e3"`, `"1.0"`, `"-0"`, `" 1"` and `"12345678901234567890"` stay text;
 * - it is `true`, `false`, `null` or a quoted JSON string (`'"42"'` → `"42"`);
 * - it is a JSON object or array in which every number prints back as the same decimal number
 *   (`1.0` and `1e3` do; `12345678901234567890` and `0.30000000000000001` do not) and no object
 *   repeats a key. Otherwise the whole text comes back as text.
 *
 * The one home of this rule: `@hush/core`'s `Secret.get()` applies it to local and server values
 * alike, and `HUSH__CONTEXT__SECRETS__…` variables are decoded with it.
 */
export function decodeSecretText(text: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  if (typeof parsed === "number") return String(parsed) === text ? parsed : text;
  if (typeof parsed === "object" && parsed !== null && !losesNothing(text)) return text;
  return parsed;
}

/** Whether `JSON.parse(text)`, valid JSON, keeps every number's value and every key. */
function losesNothing(text: string): boolean {
  // The keys seen in each open object; null for an array.
  const open: (Set<string> | null)[] = [];
  for (const token of jsonTokensWithKeys(text)) {
    const written = text.slice(token.start, token.end);
    if (token.kind === "number") {
      if (!sameDecimal(written, Number(written))) return false;
    } else if (token.kind === "string" && token.isKey) {
      const keys = open[open.length - 1];
      const key = JSON.parse(written) as string;
      if (keys?.has(key)) return false;
      keys?.add(key);
    } else if (written === "{" || written === "[") {
      open.push(written === "{" ? new Set() : null);
    } else if (written === "}" || written === "]") {
      open.pop();
    }
  }
  return true;
}

/** Whether the number `value` prints as the decimal number `written` (`1.0` is 1, `1e3` is 1000). */
function sameDecimal(written: string, value: number): boolean {
  if (!Number.isFinite(value)) return false;
  const a = decimal(written);
  const b = decimal(String(value));
  // -0 prints as "0"; the sign is kept in the number all the same.
  const negative = value < 0 || Object.is(value, -0);
  return a.digits === b.digits && a.exponent === b.exponent && a.negative === negative;
}

/** A decimal number's significant digits and exponent: "120.50" is 1205 × 10^-1. */
function decimal(text: string): { negative: boolean; digits: string; exponent: number } {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i.exec(text);
  if (match === null) throw new Error("Not a decimal number"); // never quote: it may be a secret
  const [, sign = "", whole = "", fraction = "", power = "0"] = match;
  let digits = (whole + fraction).replace(/^0+/, "");
  let exponent = Number(power) - fraction.length;
  const trimmed = digits.replace(/0+$/, "");
  exponent += digits.length - trimmed.length;
  digits = trimmed;
  if (digits === "") return { negative: sign === "-", digits: "0", exponent: 0 };
  return { negative: sign === "-", digits, exponent };
}
