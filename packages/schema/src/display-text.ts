/**
 * Characters that change how text around them is shown, or are not shown at all: controls (C0,
 * DEL, C1: Unicode category Cc), format characters (Cf: bidi overrides and isolates such as
 * U+202E, zero-width spaces and joiners, the byte order mark, soft hyphens), line and paragraph
 * separators (U+2028, U+2029) and lone surrogates. A token name may hold none of them (the server
 * refuses it), and clients escape them wherever they show text that came from the server.
 */
export const UNSAFE_DISPLAY_CHARS: RegExp = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

const UNSAFE_GLOBAL = new RegExp(UNSAFE_DISPLAY_CHARS.source, "gu");

/** Whether `text` holds a character of {@link UNSAFE_DISPLAY_CHARS}. */
export function hasUnsafeDisplayChars(text: string): boolean {
  return UNSAFE_DISPLAY_CHARS.test(text);
}

/**
 * `text` with every character of {@link UNSAFE_DISPLAY_CHARS} replaced by a visible escape,
 * so that what a terminal or a page shows is what is stored, in the order it is stored.
 *
 * @example
 * escapeForDisplay("evil\u202Egnp.exe"); // "evil\\u202egnp.exe"
 * escapeForDisplay("a\tb"); // "a\\u0009b"
 */
export function escapeForDisplay(text: string): string {
  return text.replace(UNSAFE_GLOBAL, (char) => {
    const code = char.codePointAt(0) ?? 0;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
