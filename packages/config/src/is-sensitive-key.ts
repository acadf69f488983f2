import { SECRET_KEY_PATHS } from "./config-keys.js";

/**
 * Whether the value at a dotted config path is secret and must be masked when shown: everything
 * under `context.secrets` (and that table itself), `cloud.api_key` and `cloud.fallback_key`: the
 * keys the config key table marks secret, and everything under them.
 *
 * @example
 * isSensitiveKey("context.secrets.AWS.Key"); // true
 * isSensitiveKey("cloud.endpoint"); // false
 */
export function isSensitiveKey(path: string): boolean {
  return SECRET_KEY_PATHS.some((key) => path === key || path.startsWith(`${key}.`));
}
