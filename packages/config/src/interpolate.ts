/** What {@link interpolate} reads: the environment, the home folder and the config's own keys. */
export interface InterpolationHost {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly home: string;
  /**
   * The (fully resolved) config value at a dotted path, or undefined when there is no such key.
   * `reference` is the `${…}` text as written, for messages.
   */
  lookup(path: string, reference: string): { value: unknown } | undefined;
}

/** A `${…}` that cannot be resolved; the caller turns it into a located ConfigError. */
export class ReferenceProblem extends Error {
  constructor(
    readonly kind: "unknown" | "unclosed",
    /** The reference as written, such as `${cloud.endpont}`. */
    readonly reference: string,
    /** The name it resolved to after inner references, such as `cloud.endpont`. */
    readonly resolvedName = "",
  ) {
    super(`${kind} reference ${reference}`);
  }
}

const DOLLAR = 0x24;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const BACKSLASH = 0x5c;

function isNameStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39);
}

/**
 * Expands one string value:
 * - `$NAME` is the environment variable NAME when it is set, else stays as written;
 * - `${name}` is the environment variable when set, else the config value at that dotted path;
 *   references nest (`${${backend}.endpoint}`), and a value that is exactly one reference keeps
 *   the referenced value's type;
 * - `\$` is a literal `$`, and only there is `\` special (`$$` stays `$$`);
 * - a leading `~/`, or the value `~`, is the home folder.
 * Values taken from the environment are inserted as they are, never expanded again.
 *
 * @throws ReferenceProblem for a `${…}` that is neither set nor a key, or is never closed.
 */
export function interpolate(raw: string, host: InterpolationHost): unknown {
  if (raw === "~") return host.home;
  if (raw.startsWith("~/")) {
    // Without the trailing separator, so a home of "/" gives "/x", not "//x".
    const home = host.home.replace(/[\\/]+$/, "");
    const rest = raw.slice(1);
    return home + (rest.includes("$") ? expandText(rest, 0, -1, host).text : rest);
  }
  if (!raw.includes("$")) return raw;
  if (raw.charCodeAt(0) === DOLLAR && raw.charCodeAt(1) === LBRACE) {
    const first = expandReference(raw, 0, host);
    if (first.end === raw.length) return first.value;
    return stringify(first.value) + expandText(raw, first.end, -1, host).text;
  }
  return expandText(raw, 0, -1, host).text;
}

/**
 * Expands `s` from `start`. Inside a reference (`openedAt` ≥ 0, the index of its `$`) it stops at
 * the first `}` that no nested reference consumed; `end` is that brace's index.
 */
function expandText(
  s: string,
  start: number,
  openedAt: number,
  host: InterpolationHost,
): { text: string; end: number } {
  let out = "";
  let copied = start; // s[copied, i) is literal text not yet in `out`
  let i = start;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH && s.charCodeAt(i + 1) === DOLLAR) {
      out += `${s.slice(copied, i)}$`;
      i += 2;
      copied = i;
    } else if (c === DOLLAR && s.charCodeAt(i + 1) === LBRACE) {
      const reference = expandReference(s, i, host);
      out += s.slice(copied, i) + stringify(reference.value);
      i = reference.end;
      copied = i;
    } else if (c === DOLLAR && isNameStart(s.charCodeAt(i + 1))) {
      let end = i + 2;
      while (end < s.length && isNameChar(s.charCodeAt(end))) end++;
      const value = host.env[s.slice(i + 1, end)];
      if (typeof value === "string") {
        out += s.slice(copied, i) + value;
        copied = end;
      }
      i = end;
    } else if (c === RBRACE && openedAt >= 0) {
      return { text: out + s.slice(copied, i), end: i };
    } else {
      i++;
    }
  }
  if (openedAt >= 0) throw new ReferenceProblem("unclosed", s.slice(openedAt));
  return { text: out + s.slice(copied), end: i };
}

/** The `${…}` whose `$` is at `start`; `end` is the index just past its `}`. */
function expandReference(
  s: string,
  start: number,
  host: InterpolationHost,
): { value: unknown; end: number } {
  const inner = expandText(s, start + 2, start, host);
  const name = inner.text;
  const end = inner.end + 1;
  const fromEnv = host.env[name];
  if (typeof fromEnv === "string") return { value: fromEnv, end };
  const reference = s.slice(start, end);
  const found = host.lookup(name, reference);
  if (found === undefined) throw new ReferenceProblem("unknown", reference, name);
  return { value: found.value, end };
}

/** A referenced value inside a longer string: text as is, tables and arrays as JSON. */
function stringify(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}
