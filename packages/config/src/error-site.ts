import { sep } from "node:path";
import { ConfigError, type ConfigErrorCode } from "./config-error.js";
import type { ConfigOrigin } from "./types.js";

/**
 * A path for messages: the home folder shown as `~`, as users write it.
 *
 * @example
 * displayPath("/home/ada/.hush/config.toml", "/home/ada"); // "~/.hush/config.toml"
 */
export function displayPath(file: string, home: string): string {
  if (home !== "" && file.startsWith(home)) {
    const rest = file.slice(home.length);
    if (rest === "" || rest.startsWith(sep) || rest.startsWith("/")) return `~${rest}`;
  }
  return file;
}

/**
 * A ConfigError about the value at `key`, located where that value came from: the message
 * starts with `file:line:column: ` for a file value or `HUSH__…: ` for an environment override.
 */
export function valueError(
  code: ConfigErrorCode,
  key: string,
  origin: ConfigOrigin,
  home: string,
  text: string,
): ConfigError {
  switch (origin.kind) {
    case "file": {
      const { file, line, column } = origin;
      return new ConfigError(code, `${displayPath(file, home)}:${line}:${column}: ${text}`, {
        file,
        line,
        column,
        key,
      });
    }
    case "env":
      return new ConfigError(code, `${origin.variable}: ${text}`, {
        key,
        variable: origin.variable,
      });
    case "login":
      return new ConfigError(code, `${displayPath(origin.file, home)}: ${text}`, {
        file: origin.file,
        key,
      });
    default:
      return new ConfigError(code, text, { key });
  }
}

/**
 * How to fix `key`, in the words of where its value came from: `Write name = <toml>` for a file,
 * `Set HUSH__…=<env>` for the key's own environment variable (no final period).
 */
export function fixHint(key: string, origin: ConfigOrigin, toml: string, env = toml): string {
  if (origin.kind !== "env") return `Write ${key.slice(key.lastIndexOf(".") + 1)} = ${toml}`;
  const own = `HUSH__${key.split(".").join("__")}`;
  if (origin.variable.toUpperCase() === own.toUpperCase()) return `Set ${origin.variable}=${env}`;
  // The key came inside a JSON value of a shallower variable.
  return `Fix ${key} in the JSON of ${origin.variable}`;
}
