import { isDeepStrictEqual } from "node:util";
import { positionKey, scanStatements, type TomlStatement } from "@hush/config/locate-keys";
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
  const found = findKey(text, name);
  const assignment = (key: string) => `${key} = ${tomlString(value as string)}`;
  let out: string;

  if (value === undefined) {
    if (found.key === undefined)
      throw new EditRefused(`it has no line \`${name} = …\` in [context.secrets]`);
    // The key's whole line goes, its line break included.
    out =
      text.slice(0, lineStart(text, found.key.start)) + text.slice(lineEnd(text, found.key.end));
  } else if (found.key !== undefined) {
    const { start, keyEnd, valueStart, end } = found.key;
    if (text.slice(valueStart, end).includes("\n")) {
      throw new EditRefused(`the value of ${name} spans several lines`);
    }
    out = text.slice(0, start) + assignment(text.slice(start, keyEnd)) + text.slice(end);
  } else if (found.last !== undefined) {
    // After the table's last line: its header's, or its last key's (where the value ends).
    const at = lineEnd(text, found.last.end);
    const line = `${found.indent}${assignment(bareOrQuoted(name))}`;
    const added = text.endsWith("\n") || at < text.length ? `${line}${eol}` : `${eol}${line}`;
    out = text.slice(0, at) + added + text.slice(at);
  } else {
    out = text;
    if (out !== "" && !out.endsWith("\n")) out += eol;
    if (out.trim() !== "") out += eol;
    out += `[context.secrets]${eol}${assignment(bareOrQuoted(name))}${eol}`;
  }
  return checked(out, before, name, value);
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
  /** The statement `name = …` of `[context.secrets]`, if any. */
  key: TomlStatement | undefined;
  /** The table's last statement: its last key, or its header when it has none. */
  last: TomlStatement | undefined;
  /** The indentation of the table's first key. */
  indent: string;
}

const SECRETS = positionKey(["context", "secrets"]);

function findKey(text: string, name: string): Found {
  const found: Found = { key: undefined, last: undefined, indent: "" };
  let header: TomlStatement | undefined;
  for (const statement of scanStatements(text)) {
    const inSecrets = positionKey(statement.table) === SECRETS;
    if (statement.kind !== "key") {
      // The first [context.secrets] header; a second one is invalid TOML, refused before.
      if (inSecrets && statement.kind === "table" && header === undefined) {
        header = statement;
        found.last = statement;
      }
      continue;
    }
    if (!inSecrets || header === undefined) continue;
    if (found.last === header) {
      found.indent = text.slice(lineStart(text, statement.start), statement.start);
    }
    found.last = statement;
    if (found.key === undefined && statement.key.length === 1 && statement.key[0] === name) {
      found.key = statement;
    }
  }
  return found;
}

/** Where the line holding `offset` starts. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** Where the line holding `offset` ends, after its line break (or the end of the text). */
function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf("\n", offset);
  return newline === -1 ? text.length : newline + 1;
}

function bareOrQuoted(name: string): string {
  return /^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name);
}
