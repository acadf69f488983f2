/** One token of a JSON text: where it starts and ends, and what it is. */
export interface JsonToken {
  readonly kind: "string" | "number" | "punctuation" | "literal";
  readonly start: number;
  readonly end: number;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/**
 * The tokens of `text`, which must be valid JSON (check it with `JSON.parse` first): strings with
 * their quotes, numbers as written, `{ } [ ] : ,` and `true`/`false`/`null`. Whitespace is skipped.
 */
export function* jsonTokens(text: string): Generator<JsonToken> {
  let at = 0;
  while (at < text.length) {
    const char = text[at] as string;
    if (char === " " || char === "\t" || char === "\n" || char === "\r") {
      at++;
    } else if (char === '"') {
      let end = at + 1;
      while (text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
      yield { kind: "string", start: at, end: end + 1 };
      at = end + 1;
    } else if ("{}[]:,".includes(char)) {
      yield { kind: "punctuation", start: at, end: at + 1 };
      at++;
    } else {
      const pattern = char === "-" || (char >= "0" && char <= "9") ? NUMBER : LITERAL;
      pattern.lastIndex = at;
      if (!pattern.test(text)) throw new Error(`Not JSON at ${at}`);
      yield { kind: pattern === NUMBER ? "number" : "literal", start: at, end: pattern.lastIndex };
      at = pattern.lastIndex;
    }
  }
}

/**
 * The tokens of `text` with, for each string, whether it is an object's key (followed by `:`).
 */
export function* jsonTokensWithKeys(
  text: string,
): Generator<JsonToken & { readonly isKey: boolean }> {
  let previous: JsonToken | undefined;
  for (const token of jsonTokens(text)) {
    if (previous !== undefined) yield { ...previous, isKey: isColon(text, token) };
    previous = token;
  }
  if (previous !== undefined) yield { ...previous, isKey: false };
}

function isColon(text: string, token: JsonToken): boolean {
  return token.kind === "punctuation" && text[token.start] === ":";
}
