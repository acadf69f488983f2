import { environmentNameError, secretNameError } from "@hush/schema/secret-name";
import { usageError } from "./cli-error.js";

/** One `{{ hush://[ENV/]NAME }}` of a template, and where it stands (1-based, for messages). */
export interface Reference {
  /** The environment named in it; undefined: the command's own (`--env`, else the config's). */
  readonly environment: string | undefined;
  readonly name: string;
  readonly line: number;
  readonly column: number;
}

/** A template cut into its literal text and its references, in order. */
export interface Template {
  /** The text around the references: always one more piece than there are references. */
  readonly texts: readonly string[];
  readonly references: readonly Reference[];
}

// `{{`, optional blanks, `hush://`: what starts a reference. Its end is the first `}}` after it.
const OPENING = /\{\{[ \t]*hush:\/\//g;

/**
 * Cuts `text` (a template read from `file`) into literal text and references. A reference that
 * does not read as `{{ hush://NAME }}` or `{{ hush://ENV/NAME }}` (a name the server could not
 * hold, no closing `}}` on its line) is a usage error naming `file:line:column` and the rule, never
 * the text itself (a value pasted there by mistake must not be printed).
 */
export function parseTemplate(text: string, file: string): Template {
  const texts: string[] = [];
  const references: Reference[] = [];
  let from = 0;
  for (const match of text.matchAll(OPENING)) {
    const start = match.index;
    if (start < from) continue;
    const { line, column } = position(text, start);
    const where = `${file}:${line}:${column}`;
    const bodyStart = start + match[0].length;
    const end = text.indexOf("}}", bodyStart);
    const newline = text.indexOf("\n", bodyStart);
    if (end === -1 || (newline !== -1 && newline < end)) {
      throw usageError(
        `${where}: a {{ hush://NAME }} reference has no closing "}}" on its line. Nothing was written.`,
      );
    }
    const [first, second, ...rest] = text.slice(bodyStart, end).trim().split("/");
    const environment = second === undefined ? undefined : first;
    const name = second ?? first;
    const problem =
      rest.length > 0
        ? 'It has more than one "/": write {{ hush://NAME }} or {{ hush://ENV/NAME }}.'
        : ((environment === undefined ? undefined : environmentNameError(environment)) ??
          secretNameError(name));
    if (problem !== undefined) throw usageError(`${where}: ${problem} Nothing was written.`);
    texts.push(text.slice(from, start));
    references.push({ environment, name: name as string, line, column });
    from = end + 2;
  }
  texts.push(text.slice(from));
  return { texts, references };
}

/**
 * The template with each reference replaced by its value, inserted exactly: a string as it is,
 * any other JSON value as JSON text. `valueFor` answers every reference (the caller read them all).
 */
export function renderTemplate(
  template: Template,
  valueFor: (reference: Reference) => unknown,
): string {
  let out = template.texts[0] ?? "";
  template.references.forEach((reference, i) => {
    const value = valueFor(reference);
    out += typeof value === "string" ? value : JSON.stringify(value);
    out += template.texts[i + 1] ?? "";
  });
  return out;
}

/** A reference as it is written, for messages: `{{ hush://staging/DB_URL }}`. */
export function describeReference(reference: Reference): string {
  const path =
    reference.environment === undefined
      ? reference.name
      : `${reference.environment}/${reference.name}`;
  return `{{ hush://${path} }}`;
}

function position(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const lineStart = before.lastIndexOf("\n") + 1;
  let line = 1;
  for (let i = before.indexOf("\n"); i !== -1; i = before.indexOf("\n", i + 1)) line += 1;
  return { line, column: index - lineStart + 1 };
}
