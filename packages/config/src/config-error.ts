import { HushError } from "@hush/errors";

/**
 * The stable codes of {@link ConfigError}.
 *
 * @example
 * if (isHushError(error, ConfigErrorCode.TOML_SYNTAX)) …
 */
export const ConfigErrorCode = {
  /** The user file is not valid TOML. */
  TOML_SYNTAX: "TOML_SYNTAX",
  /** A known key has the wrong type or an unusable value. */
  INVALID_VALUE: "INVALID_VALUE",
  /** A `${…}` reference leads back to the key that holds it. */
  REFERENCE_CYCLE: "REFERENCE_CYCLE",
  /** A `${…}` reference is neither a set environment variable nor a config key. */
  UNKNOWN_REFERENCE: "UNKNOWN_REFERENCE",
  /** A `${` without its closing `}`. */
  INVALID_REFERENCE: "INVALID_REFERENCE",
  /** A `HUSH__…` variable cannot be placed: a table is in the way, or a value where a table should be. */
  ENV_OVERRIDE_CONFLICT: "ENV_OVERRIDE_CONFLICT",
  /** A `HUSH__…` variable name with an empty key part, such as `HUSH__CLOUD____X`. */
  INVALID_ENV_OVERRIDE: "INVALID_ENV_OVERRIDE",
  /** The user file named by `userConfigPath` or `HUSH__USER_CONFIG_PATH` does not exist. */
  FILE_NOT_FOUND: "FILE_NOT_FOUND",
  /** The user file exists but cannot be read. */
  FILE_UNREADABLE: "FILE_UNREADABLE",
  /** A file that holds tokens (`~/.hush/auth.toml`) can be read or written by other users. */
  FILE_TOO_OPEN: "FILE_TOO_OPEN",
  /** A key hush does not know in a section it owns (only with `strict: true`; else a warning). */
  UNKNOWN_KEY: "UNKNOWN_KEY",
} as const;

export type ConfigErrorCode = (typeof ConfigErrorCode)[keyof typeof ConfigErrorCode];

/** Where a {@link ConfigError} happened; each field is present only where it applies. */
export interface ConfigErrorDetails {
  /** The config file, as an absolute path. */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** 1-based column in `file`. */
  column?: number;
  /** The dotted config key, such as `cloud.endpoint`. */
  key?: string;
  /** The environment variable the value came from, such as `HUSH__CLOUD__ENDPOINT`. */
  variable?: string;
  cause?: unknown;
}

/**
 * Every failure to load the configuration. The message starts with `file:line:column:` (or the
 * environment variable) when the problem has a place, says how to fix it, and never contains a
 * value from `context.secrets` or `cloud.api_key`.
 *
 * @example
 * // ~/.hush/config.toml:3:21: cloud.use_local_secrets must be true or false, not "yes". …
 */
export class ConfigError extends HushError {
  override readonly name: string = "ConfigError";
  declare readonly code: ConfigErrorCode;
  declare readonly file?: string;
  declare readonly line?: number;
  declare readonly column?: number;
  declare readonly key?: string;
  declare readonly variable?: string;

  constructor(code: ConfigErrorCode, message: string, details: ConfigErrorDetails = {}) {
    const { cause, ...where } = details;
    super(code, message, cause === undefined ? undefined : { cause });
    // Only the fields that apply become properties, so `util.inspect` shows no `undefined`s.
    for (const [name, value] of Object.entries(where)) {
      if (value !== undefined) Object.defineProperty(this, name, { value, enumerable: true });
    }
  }
}
