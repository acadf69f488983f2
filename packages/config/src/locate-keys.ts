/** A 1-based line and column in the config file. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** The map key for a key path; NUL keeps `"a.b" = 1` apart from `a.b = 1`. */
export function positionKey(segments: readonly string[]): string {
  return segments.join("\u0000");
}

const TAB = 0x09;
const NL = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const DQUOTE = 0x22;
const HASH = 0x23;
const SQUOTE = 0x27;
const DOT = 0x2e;
const EQUALS = 0x3d;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;

const ESCAPES: Record<string, string> = {
  b: "\b",
  t: "\t",
  n: "\n",
  f: "\f",
  r: "\r",
  e: "\u001b",
  '"': '"',
  "\\": "\\",
};
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

function isBareKeyChar(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || // 0-9
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x61 && c <= 0x7a) || // a-z
    c === 0x5f || // _
    c === 0x2d // -
  );
}

/**
 * One statement of a TOML document: a `[table]` or `[[array]]` header, or a `key = value`.
 * Offsets index the text; `end` is where the header or the value ends (before any comment).
 */
export interface TomlStatement {
  readonly kind: "table" | "array" | "key";
  /** A header's own path; for a key, the path of the header above it (`[]` at the top). */
  readonly table: readonly string[];
  /** A key's dotted key as written, decoded (`"a.b".c` → `["a.b", "c"]`); `[]` for a header. */
  readonly key: readonly string[];
  /** Where the statement starts: its `[`, or its key's first character. */
  readonly start: number;
  /** Where a key ends (before the spaces and the `=`); for a header, `end`. */
  readonly keyEnd: number;
  /** Where a key's value starts; for a header, `end`. */
  readonly valueStart: number;
  readonly end: number;
  /** The line and column of `valueStart` for a key, of `start` for a header. */
  readonly position: Position;
}

/**
 * Where each key's value starts in a TOML document that smol-toml has already accepted, by key
 * path (see {@link positionKey}), and where each `[table]` / `[[array]]` header is (an array's
 * first header stands for it). Keys inside inline tables and arrays are not listed; their nearest
 * listed ancestor stands for them.
 */
export function locateKeys(source: string): Map<string, Position> {
  const positions = new Map<string, Position>();
  for (const { table, key, position } of scanStatements(source)) {
    const path = positionKey([...table, ...key]);
    if (!positions.has(path)) positions.set(path, position);
  }
  return positions;
}

/**
 * The headers and `key = value` statements of a TOML document, in order, with where each is.
 * smol-toml gives no positions per key, so this is one pass over the text that tracks the current
 * table header and reads `key = value` lines, skipping values (multi-line strings, arrays and
 * inline tables included) without parsing them. Meant for text smol-toml accepts: on other text
 * it never loops, but what it finds is a guess. Used to locate keys for messages and to edit a
 * document in place, one statement at a time.
 */
export function scanStatements(source: string): TomlStatement[] {
  return new KeyScanner(source).scan();
}

class KeyScanner {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private table: string[] = [];
  private readonly statements: TomlStatement[] = [];

  constructor(private readonly s: string) {}

  scan(): TomlStatement[] {
    const { s } = this;
    while (this.i < s.length) {
      this.skipBlankLines();
      if (this.i >= s.length) break;
      const before = this.i;
      if (s.charCodeAt(this.i) === LBRACKET) this.header();
      else this.keyValue();
      // Only reachable on text smol-toml would have rejected; never loop on it.
      if (this.i === before) this.skipToLineEnd();
    }
    return this.statements;
  }

  /** Where `this.i` is, as a 1-based line and column. */
  private here(): Position {
    return { line: this.line, column: this.i - this.lineStart + 1 };
  }

  private header(): void {
    const { s } = this;
    const start = this.i;
    const position = this.here(); // positions point at the "["
    const isArray = s.charCodeAt(this.i + 1) === LBRACKET;
    this.i += isArray ? 2 : 1;
    const segments = this.readKey();
    this.skipSpaces();
    if (s.charCodeAt(this.i) === RBRACKET) this.i += isArray ? 2 : 1;
    this.table = segments;
    const end = this.i;
    this.statements.push({
      kind: isArray ? "array" : "table",
      table: segments,
      key: [],
      start,
      keyEnd: end,
      valueStart: end,
      end,
      position,
    });
  }

  private keyValue(): void {
    const { s } = this;
    const start = this.i;
    const segments = this.readKey();
    if (segments.length === 0) return;
    const keyEnd = this.trimBack(this.i);
    this.skipSpaces();
    if (s.charCodeAt(this.i) !== EQUALS) return;
    this.i++;
    this.skipSpaces();
    const valueStart = this.i;
    const position = this.here();
    this.skipValue();
    this.statements.push({
      kind: "key",
      table: this.table,
      key: segments,
      start,
      keyEnd,
      valueStart,
      end: Math.max(valueStart, this.trimBack(this.i)),
      position,
    });
  }

  /** `end` moved back over spaces, tabs and a CR: where the text before them ends. */
  private trimBack(end: number): number {
    let i = end;
    while (i > 0 && [SPACE, TAB, CR].includes(this.s.charCodeAt(i - 1))) i--;
    return i;
  }

  /** A dotted key: bare, "basic" and 'literal' parts, with optional spaces around the dots. */
  private readKey(): string[] {
    const { s } = this;
    const segments: string[] = [];
    for (;;) {
      this.skipSpaces();
      const c = s.charCodeAt(this.i);
      if (c === DQUOTE) segments.push(this.readBasicString());
      else if (c === SQUOTE) segments.push(this.readLiteralString());
      else {
        const start = this.i;
        while (isBareKeyChar(s.charCodeAt(this.i))) this.i++;
        if (this.i === start) return segments;
        segments.push(s.slice(start, this.i));
      }
      this.skipSpaces();
      if (s.charCodeAt(this.i) !== DOT) return segments;
      this.i++;
    }
  }

  private readBasicString(): string {
    const { s } = this;
    let out = "";
    this.i++;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === DQUOTE) {
        this.i++;
        return out;
      }
      if (c === NL) return out;
      if (c === BACKSLASH) {
        const e = s.charAt(this.i + 1);
        const digits = HEX_DIGITS[e];
        if (digits !== undefined) {
          const hex = s.slice(this.i + 2, this.i + 2 + digits);
          const code = Number.parseInt(hex, 16);
          out += Number.isNaN(code) || code > 0x10ffff ? "" : String.fromCodePoint(code);
          this.i += 2 + digits;
        } else {
          out += ESCAPES[e] ?? e;
          this.i += 2;
        }
        continue;
      }
      out += s[this.i];
      this.i++;
    }
    return out;
  }

  private readLiteralString(): string {
    const { s } = this;
    const start = this.i + 1;
    let end = start;
    while (end < s.length && s.charCodeAt(end) !== SQUOTE && s.charCodeAt(end) !== NL) end++;
    this.i = end + 1;
    return s.slice(start, end);
  }

  private skipValue(): void {
    const { s } = this;
    const c = s.charCodeAt(this.i);
    if (c === DQUOTE || c === SQUOTE) this.skipString();
    else if (c === LBRACKET || c === LBRACE) this.skipNested();
    else {
      // A number, boolean or date: up to a comment or the end of the line.
      while (this.i < s.length) {
        const d = s.charCodeAt(this.i);
        if (d === NL || d === HASH) return;
        this.i++;
      }
    }
  }

  /** Any of the four string forms; multi-line ones may span lines. */
  private skipString(): void {
    const { s } = this;
    const quote = s.charCodeAt(this.i);
    if (s.charCodeAt(this.i + 1) !== quote || s.charCodeAt(this.i + 2) !== quote) {
      if (quote === DQUOTE) this.readBasicString();
      else this.readLiteralString();
      return;
    }
    this.i += 3;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === BACKSLASH && quote === DQUOTE) {
        this.step();
        this.step();
      } else if (
        c === quote &&
        s.charCodeAt(this.i + 1) === quote &&
        s.charCodeAt(this.i + 2) === quote
      ) {
        this.i += 3;
        // Up to two more quotes belong to the content: """a""""" ends with a"".
        for (let extra = 0; extra < 2 && s.charCodeAt(this.i) === quote; extra++) this.i++;
        return;
      } else {
        this.step();
      }
    }
  }

  /** An array or inline table, which may span lines and hold strings, comments and nesting. */
  private skipNested(): void {
    const { s } = this;
    let depth = 0;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === LBRACKET || c === LBRACE) {
        depth++;
        this.i++;
      } else if (c === RBRACKET || c === RBRACE) {
        depth--;
        this.i++;
        if (depth === 0) return;
      } else if (c === DQUOTE || c === SQUOTE) {
        this.skipString();
      } else if (c === HASH) {
        this.skipToLineEnd();
      } else {
        this.step();
      }
    }
  }

  /** Advances one character, counting lines. */
  private step(): void {
    if (this.s.charCodeAt(this.i) === NL) {
      this.line++;
      this.lineStart = this.i + 1;
    }
    this.i++;
  }

  private skipSpaces(): void {
    while (this.s.charCodeAt(this.i) === SPACE || this.s.charCodeAt(this.i) === TAB) this.i++;
  }

  private skipToLineEnd(): void {
    while (this.i < this.s.length && this.s.charCodeAt(this.i) !== NL) this.i++;
  }

  /** Spaces, comments and line breaks between statements. */
  private skipBlankLines(): void {
    const { s } = this;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === SPACE || c === TAB || c === CR || c === NL) this.step();
      else if (c === HASH) this.skipToLineEnd();
      else return;
    }
  }
}
