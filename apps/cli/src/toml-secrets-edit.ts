import { isDeepStrictEqual } from "node:util";
import { parse } from "smol-toml";

/** Why an edit was refused; the message never quotes the file or a value. */
export class EditRefused extends Error {}

/**
 * Sets (`value` a string) or removes (`value` undefined) the key `name` of `[context.secrets]` in
 * a TOML document, changing only that key's line: every other line, comment and blank line stays
 * byte for byte. A new key goes after the table's last key, and a missing table is appended. The
 * result is parsed and must equal the original with exactly that change, or the edit is refused.
 *
 * The value is written as a TOML string in which every `$` is escaped as `\$`, so the config's
 * interpolation gives it back exactly.
 *
 * @throws EditRefused when the document cannot be edited that way (the secrets are an inline
 * table or dotted keys, the value spans several lines, the file does not parse…).
 */
export function editSecretsTable(text: string, name: string, value: string | undefined): string {
  let before: Record<string, unknown>;
  try {
    before = parse(text);
  } catch {
    throw new EditRefused("it is not valid TOML (run `hush config doctor` to see where)");
  }
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text.split("\n");
  const found = findKey(lines, name);
  const newLine = (indent: string, key: string, trailing: string) =>
    `${indent}${key} = ${tomlString(value as string)}${trailing}`;

  if (value === undefined) {
    if (found.line === undefined)
      throw new EditRefused(`it has no line \`${name} = …\` in [context.secrets]`);
    lines.splice(found.line, 1);
  } else if (found.line !== undefined) {
    const line = lines[found.line] as string;
    const cr = line.endsWith("\r") ? "\r" : "";
    const body = cr ? line.slice(0, -1) : line;
    const match = keyPattern(name).exec(body) as RegExpExecArray;
    const rest = body.slice(match[0].length);
    const end = valueEnd(rest);
    if (end === undefined) throw new EditRefused(`the value of ${name} spans several lines`);
    lines[found.line] = newLine(match[1] ?? "", (match[2] as string).trim(), rest.slice(end)) + cr;
  } else if (found.header !== undefined) {
    const cr = eol === "\r\n" ? "\r" : "";
    lines.splice(found.lastContent + 1, 0, newLine(found.indent, bareOrQuoted(name), "") + cr);
  } else {
    let out = text;
    if (out !== "" && !out.endsWith("\n")) out += eol;
    if (out.trim() !== "") out += eol;
    out += `[context.secrets]${eol}${newLine("", bareOrQuoted(name), "")}${eol}`;
    return checked(out, before, name, value);
  }
  return checked(lines.join("\n"), before, name, value);
}

/** The TOML basic string for `value`, with `$` escaped for the config's interpolation. */
export function tomlString(value: string): string {
  return JSON.stringify(value.replaceAll("$", "\\$")).replaceAll("\u007f", "\\u007f");
}

function checked(
  out: string,
  before: Record<string, unknown>,
  name: string,
  value: string | undefined,
): string {
  const expected = structuredClone(before) as { context?: { secrets?: Record<string, unknown> } };
  expected.context ??= {};
  expected.context.secrets ??= {};
  if (value === undefined) delete expected.context.secrets[name];
  else expected.context.secrets[name] = value.replaceAll("$", "\\$");
  let after: unknown;
  try {
    after = parse(out);
  } catch {
    throw new EditRefused(
      `the secrets are not written as one [context.secrets] table of key = value lines`,
    );
  }
  if (!isDeepStrictEqual(plain(after), plain(expected))) {
    throw new EditRefused(
      `the secrets are not written as one [context.secrets] table of key = value lines`,
    );
  }
  return out;
}

/** A parsed document as plain objects with sorted keys (smol-toml's tables have no prototype). */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Date) return `date:${String(value)}`;
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, plain((value as Record<string, unknown>)[key])]),
  );
}

interface Found {
  /** The index of the line holding the key, if any. */
  line: number | undefined;
  /** The index of the `[context.secrets]` header, if any. */
  header: number | undefined;
  /** The index of the table's last key line (the header when it has none). */
  lastContent: number;
  /** The indentation of the table's keys. */
  indent: string;
}

const HEADER = /^\s*\[\s*([^[\]]*?)\s*\]\s*(#.*)?\r?$/;
const ARRAY_HEADER = /^\s*\[\[/;
const COMMENT_OR_BLANK = /^\s*(#.*)?\r?$/;

function findKey(lines: readonly string[], name: string): Found {
  const found: Found = { line: undefined, header: undefined, lastContent: -1, indent: "" };
  const pattern = keyPattern(name);
  let inSecrets = false;
  lines.forEach((line, i) => {
    const header = ARRAY_HEADER.test(line) ? undefined : HEADER.exec(line);
    if (header !== null && header !== undefined) {
      inSecrets = normaliseHeader(header[1] as string) === "context.secrets";
      if (inSecrets && found.header === undefined) {
        found.header = i;
        found.lastContent = i;
      }
      return;
    }
    if (ARRAY_HEADER.test(line)) {
      inSecrets = false;
      return;
    }
    if (!inSecrets || COMMENT_OR_BLANK.test(line)) return;
    if (found.lastContent === found.header) found.indent = /^\s*/.exec(line)?.[0] ?? "";
    found.lastContent = i;
    if (found.line === undefined && pattern.test(line)) found.line = i;
  });
  return found;
}

function normaliseHeader(header: string): string {
  return header
    .split(".")
    .map((part) => part.trim().replace(/^"(.*)"$|^'(.*)'$/, "$1$2"))
    .join(".");
}

function keyPattern(name: string): RegExp {
  const quoted = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^(\\s*)(${quoted}|"${quoted}"|'${quoted}')\\s*=`);
}

function bareOrQuoted(name: string): string {
  return /^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name);
}

/** Where the one-line value at the start of `rest` ends (before any comment), if it is one line. */
function valueEnd(rest: string): number | undefined {
  const ends = [...rest.matchAll(/#/g)].map((m) => m.index).concat(rest.length);
  for (const end of ends) {
    if (!/^\s*(#.*)?$/.test(rest.slice(end))) continue;
    try {
      parse(`v = ${rest.slice(0, end)}`);
      // Keep the whitespace before a trailing comment with the comment.
      const value = rest.slice(0, end);
      return value.trimEnd().length === 0 ? undefined : value.trimEnd().length;
    } catch {
      // not the end of the value: a `#` inside a string
    }
  }
  return undefined;
}
