import { CliError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";

/** The formats of `hush export`. */
export const EXPORT_FORMATS = ["dotenv", "json", "shell"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Writes secrets (name → text) in a format whose parser gives every value back exactly:
 * `dotenv` for the `dotenv` package's parser (and docker/compose-style loaders), `shell` for
 * `sh` (`eval "$(hush export --format shell)"`), `json` as one object.
 *
 * @returns the text, and the names that `shell` cannot hold (not shell variable names).
 */
export function formatSecrets(
  values: ReadonlyMap<string, string>,
  format: ExportFormat,
): { text: string; skipped: string[] } {
  if (format === "json") {
    return { text: `${JSON.stringify(Object.fromEntries(values), null, 2)}\n`, skipped: [] };
  }
  const lines: string[] = [];
  const skipped: string[] = [];
  for (const [name, value] of values) {
    if (format === "shell") {
      if (!SHELL_NAME.test(name)) skipped.push(name);
      else lines.push(`export ${name}=${shellQuote(value)}`);
    } else {
      lines.push(`${name}=${dotenvQuote(name, value)}`);
    }
  }
  return { text: lines.map((l) => `${l}\n`).join(""), skipped };
}

/** `'…'`, with each `'` written as `'\''`: sh reads everything inside single quotes literally. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * A dotenv value in the first quoting that its parser reads back exactly: `'…'` and `` `…` `` are
 * literal (newlines included) as long as they hold no quote of their kind, no carriage return and
 * do not end in a backslash; `"…"` turns `\n` and `\r` into line breaks and so cannot hold those
 * two-character texts.
 */
export function dotenvQuote(name: string, value: string): string {
  const literalSafe = !value.includes("\r") && !value.endsWith("\\");
  if (literalSafe && !value.includes("'")) return `'${value}'`;
  if (literalSafe && !value.includes("`")) return `\`${value}\``;
  if (!value.includes('"') && !/\\[nr]/.test(value) && !value.endsWith("\\")) {
    return `"${value.replaceAll("\n", "\\n").replaceAll("\r", "\\r")}"`;
  }
  throw new CliError(
    ExitCode.ERROR,
    "NOT_EXPORTABLE",
    `The value of ${name} cannot be written in dotenv format (it holds ', \` and " quotes, or a backslash sequence the dotenv parser would change). Use --format shell or --format json.`,
  );
}
