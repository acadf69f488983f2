import { CliError } from "./cli-error.js";
import { type CallerNamed, holdsNul, LeftOut, mayPass } from "./environment-rules.js";
import { ExitCode } from "./exit-codes.js";

/** The formats of `hush export`. */
export const EXPORT_FORMATS = ["dotenv", "json", "shell"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The names Node's `dotenv` reads (`[\w.-]+`); python-dotenv and docker compose read them too. */
const DOTENV_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Writes secrets (name → text) in a format whose readers give every value back exactly:
 * `dotenv` for `sh` (`set -a; . ./.env`), Node's `dotenv`, python-dotenv and docker compose;
 * `shell` for `sh` (`eval "$(hush export --format shell)"`); `json` as one object.
 *
 * `shell` and `dotenv` are meant to be sourced or loaded into a program's environment, so a
 * secret named like a start-up variable is left out unless `named` names it, and a name the
 * format cannot hold is left out; `json` is data and holds everything.
 *
 * @throws CliError NOT_EXPORTABLE, naming the secret, for a value the format cannot hold.
 */
export function formatSecrets(
  values: ReadonlyMap<string, string>,
  format: ExportFormat,
  named: CallerNamed,
): { text: string; leftOut: LeftOut } {
  const leftOut = new LeftOut();
  if (format === "json") {
    return { text: `${JSON.stringify(Object.fromEntries(values), null, 2)}\n`, leftOut };
  }
  const lines: string[] = [];
  for (const [name, value] of values) {
    if (format === "shell" && !SHELL_NAME.test(name)) leftOut.add("notShellName", name);
    else if (format === "dotenv" && !DOTENV_NAME.test(name)) leftOut.add("notDotenvName", name);
    else if (!mayPass(name, name, named)) leftOut.add("startup", name);
    else if (format === "shell") lines.push(`export ${name}=${shellQuote(name, value)}`);
    else lines.push(`${name}=${dotenvQuote(name, value)}`);
  }
  return { text: lines.map((l) => `${l}\n`).join(""), leftOut };
}

/** `'…'`, with each `'` written as `'\''`: sh reads everything inside single quotes literally. */
export function shellQuote(name: string, value: string): string {
  if (holdsNul(value)) throw notExportable(name, "shell", "it holds a NUL byte");
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** `${NAME}` or `${NAME:-default}`: python-dotenv expands these in every value, quoted or not. */
const PYTHON_DOTENV_VARIABLE = /\$\{[^}:]*(?::-[^}]*)?\}/;

/**
 * A dotenv value in a quoting that every reader gives back exactly, and that runs nothing when
 * the file is sourced:
 *
 * - `'…'` when the value holds no `'`, no `\\` and does not end in `\`: sh reads single quotes
 *   literally; Node's dotenv and docker compose too, but they read `\'` as a quote; python-dotenv
 *   reads `\\` as `\`.
 * - else `"…"` when it holds none of `"`, `$`, `` ` ``, `\`: sh expands those three inside
 *   double quotes, docker compose expands `$` and `\` escapes, python-dotenv `\` escapes, Node's
 *   dotenv `\n`. Line breaks are written as they are, which every reader keeps inside quotes.
 * - else, and for a carriage return (the parsers read it as a line break), a NUL byte or a
 *   `${…}` (python-dotenv expands it even in single quotes), it is refused, naming the secret.
 *   Never backticks: sh runs what they hold.
 */
export function dotenvQuote(name: string, value: string): string {
  if (holdsNul(value)) throw notExportable(name, "dotenv", "it holds a NUL byte");
  if (value.includes("\r")) {
    throw notExportable(
      name,
      "dotenv",
      "it holds a carriage return, which dotenv parsers read as a line break",
    );
  }
  if (PYTHON_DOTENV_VARIABLE.test(value)) {
    throw notExportable(name, "dotenv", `python-dotenv would expand the \${…} it holds`);
  }
  if (!value.includes("'") && !value.includes("\\\\") && !value.endsWith("\\")) {
    return `'${value}'`;
  }
  if (!/["$`\\]/.test(value)) return `"${value}"`;
  throw notExportable(
    name,
    "dotenv",
    "it holds ' or a backslash that single quotes cannot hold, and \", $, ` or \\, which double quotes cannot",
  );
}

function notExportable(name: string, format: "dotenv" | "shell", why: string): CliError {
  const instead = format === "dotenv" ? "--format shell or --format json" : "--format json";
  return new CliError(
    ExitCode.ERROR,
    "NOT_EXPORTABLE",
    `The value of ${name} cannot be written in ${format} format so that it reads back exactly (${why}). Use ${instead}, or leave it out with --only.`,
  );
}
