import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse, TomlError } from "smol-toml";
import { ConfigError, ConfigErrorCode } from "./config-error.js";
import { USER_CONFIG_PATH_VARIABLE } from "./env-overrides.js";
import { displayPath } from "./error-site.js";
import { interpolate, ReferenceProblem } from "./interpolate.js";
import type { Table } from "./tables.js";

/** The user file: where it was looked for, and its text when it exists. */
export interface UserConfigFile {
  readonly path: string;
  readonly text: string | undefined;
}

/**
 * Finds and reads the user file: `userConfigPath`, else `HUSH__USER_CONFIG_PATH` (with `~` and
 * `$VAR` expanded), else `<home>/.hush/config.toml`. Only the default may be missing.
 */
export function readUserConfigFile(
  userConfigPath: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): UserConfigFile {
  const fromEnv = env[USER_CONFIG_PATH_VARIABLE];
  let path: string;
  let namedBy: string | undefined;
  if (userConfigPath !== undefined) {
    path = resolve(userConfigPath);
    namedBy = "userConfigPath";
  } else if (typeof fromEnv === "string" && fromEnv !== "") {
    path = resolve(expandPath(fromEnv, env, home));
    namedBy = USER_CONFIG_PATH_VARIABLE;
  } else {
    path = join(home, ".hush", "config.toml");
  }

  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const shown = displayPath(path, home);
    if (code === "ENOENT" || code === "ENOTDIR") {
      if (namedBy === undefined) return { path, text: undefined };
      throw new ConfigError(
        ConfigErrorCode.FILE_NOT_FOUND,
        `The config file ${shown}, named by ${namedBy}, does not exist. Create it, or ` +
          (namedBy === USER_CONFIG_PATH_VARIABLE
            ? `unset ${namedBy} to use ~/.hush/config.toml.`
            : "pass the path of an existing file."),
        { file: path },
      );
    }
    const reason =
      code === "EISDIR" ? "it is a folder" : code === "EACCES" ? "permission denied" : code;
    throw new ConfigError(
      ConfigErrorCode.FILE_UNREADABLE,
      `The config file ${shown} cannot be read (${reason ?? "unknown error"}). ` +
        "Make it a readable file, or point HUSH__USER_CONFIG_PATH at another one.",
      { file: path, cause: error },
    );
  }
  // Editors on Windows may save a byte-order mark; it is not part of the TOML.
  return { path, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** `HUSH__USER_CONFIG_PATH` with `~` and `$VAR`/`${VAR}` expanded; there are no config keys yet. */
function expandPath(
  value: string,
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): string {
  try {
    return String(interpolate(value, { env, home, lookup: () => undefined }));
  } catch (error) {
    if (!(error instanceof ReferenceProblem)) throw error;
    throw new ConfigError(
      error.kind === "unclosed"
        ? ConfigErrorCode.INVALID_REFERENCE
        : ConfigErrorCode.UNKNOWN_REFERENCE,
      `${USER_CONFIG_PATH_VARIABLE} refers to ${error.reference}, which is not a set environment ` +
        `variable. Set it, or write "\\$" for a literal "$".`,
      { variable: USER_CONFIG_PATH_VARIABLE },
    );
  }
}

const SYNTAX_HINTS: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /escape/,
    "In \"…\" strings a backslash starts an escape: write \\\\ for one, or use a '…' string.",
  ],
  [/losslessly/, "Put the number in quotes to keep it as text."],
  [/redefine/, "Each key and [table] may appear once; remove the duplicate."],
];

/**
 * Parses the user file. A syntax error names the file, line and column, but never quotes the
 * line: it may hold a secret.
 */
export function parseUserConfig(path: string, text: string, home: string): Table {
  try {
    return parse(text);
  } catch (error) {
    const shown = displayPath(path, home);
    if (!(error instanceof TomlError)) {
      throw new ConfigError(
        ConfigErrorCode.TOML_SYNTAX,
        `${shown} cannot be parsed as TOML. Check its syntax.`,
        { file: path },
      );
    }
    // smol-toml's message is "Invalid TOML document: <reason>\n\n<the lines around it>"; only
    // the reason is kept, and the TomlError is not the cause, since both quote the file.
    const reason = (error.message.split("\n\n", 1)[0] as string).replace(
      /^Invalid TOML document: /,
      "",
    );
    const hint =
      SYNTAX_HINTS.find(([pattern]) => pattern.test(reason))?.[1] ??
      "Fix the TOML syntax there: strings need quotes, and each key = value goes on its own line.";
    const { line, column } = error;
    throw new ConfigError(
      ConfigErrorCode.TOML_SYNTAX,
      `${shown}:${line}:${column}: invalid TOML: ${reason}. ${hint}`,
      { file: path, line, column },
    );
  }
}
