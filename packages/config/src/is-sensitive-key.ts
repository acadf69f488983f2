/**
 * Whether the value at a dotted config path is secret and must be masked when shown: everything
 * under `context.secrets` (and that table itself), `cloud.api_key` and `cloud.fallback_key`.
 *
 * @example
 * isSensitiveKey("context.secrets.AWS.Key"); // true
 * isSensitiveKey("cloud.endpoint"); // false
 */
export function isSensitiveKey(path: string): boolean {
  return (
    path === "cloud.api_key" ||
    path === "cloud.fallback_key" ||
    path === "context.secrets" ||
    path.startsWith("context.secrets.")
  );
}
