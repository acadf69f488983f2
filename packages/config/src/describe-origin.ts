import { displayPath } from "./error-site.js";
import type { ConfigOrigin } from "./types.js";

/**
 * Where a value came from, as messages and `hush config show --origins` say it:
 * `~/.hush/config.toml:3`, `HUSH__CLOUD__USE_LOCAL_SECRETS`, `~/.hush/auth.toml (hush login)`,
 * `the --local flag` or `the built-in default`.
 */
export function describeOrigin(origin: ConfigOrigin, home: string): string {
  switch (origin.kind) {
    case "file":
      return `${displayPath(origin.file, home)}:${origin.line}`;
    case "env":
      return origin.variable;
    case "login":
      return `${displayPath(origin.file, home)} (hush login)`;
    case "flag":
      return `the ${origin.flag} flag`;
    case "default":
      return "the built-in default";
  }
}
