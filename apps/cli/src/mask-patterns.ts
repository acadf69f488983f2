/** Values shorter than this are not masked: they would match ordinary text. */
export const MIN_MASKED_LENGTH = 4;

/** One byte sequence `hush run --mask` replaces, and the secret it stands for. */
export interface MaskPattern {
  readonly name: string;
  readonly bytes: Buffer;
}

/**
 * Every form of the secrets' values that `hush run --mask` looks for in a command's output, for
 * values of {@link MIN_MASKED_LENGTH} characters or more: the value; for a multi-line value, its
 * lines joined by CRLF and by LF; and of each of those, the JSON-string-escaped text (as
 * `JSON.stringify` and as ASCII-only JSON writes it), the percent-encoded text (as
 * `encodeURIComponent` and as a form body writes it, hex in either case), and the base64 and
 * base64url encodings of its UTF-8 bytes, standalone or at any offset inside a longer encoded text
 * (`Authorization: Basic …` of `user:password`): the characters that depend on the value alone.
 */
export function maskPatterns(values: ReadonlyMap<string, string>): MaskPattern[] {
  const patterns = new Map<string, MaskPattern>();
  for (const [name, value] of values) {
    if (value.length < MIN_MASKED_LENGTH) continue;
    for (const text of lineEndings(value)) {
      for (const form of encodings(text)) {
        const bytes = Buffer.from(form);
        const key = bytes.toString("latin1");
        if (bytes.length >= MIN_MASKED_LENGTH && !patterns.has(key)) {
          patterns.set(key, { name, bytes });
        }
      }
    }
  }
  return [...patterns.values()];
}

function lineEndings(value: string): string[] {
  if (!/[\r\n]/.test(value)) return [value];
  return [value, value.replace(/\r?\n/g, "\r\n"), value.replace(/\r\n/g, "\n")];
}

function encodings(text: string): string[] {
  const json = JSON.stringify(text).slice(1, -1);
  const percent = encodeURIComponent(text);
  const form = new URLSearchParams({ v: text }).toString().slice(2);
  const bytes = Buffer.from(text, "utf8");
  return [
    text,
    json,
    json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
    percent,
    lowerHex(percent),
    form,
    lowerHex(form),
    bytes.toString("base64"),
    bytes.toString("base64url"),
    ...alignedBase64(bytes),
  ];
}

function lowerHex(percentEncoded: string): string {
  return percentEncoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
}

/**
 * The base64 and base64url characters that depend on `bytes` alone when they are encoded after
 * 0, 1 or 2 other bytes (so at any offset of a longer text): the first characters mix in the
 * bits of the bytes before, the last ones those after.
 */
function alignedBase64(bytes: Buffer): string[] {
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const core = encoded.slice(
      Math.ceil((offset * 8) / 6),
      Math.floor(((offset + bytes.length) * 8) / 6),
    );
    cores.push(core, core.replaceAll("+", "-").replaceAll("/", "_"));
  }
  return cores;
}
