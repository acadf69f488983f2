/**
 * Where a hush program takes its API token from and how to get one: the one place that says it,
 * for `Secret`'s errors and the `hush` CLI's. `token` says which token, e.g. `a RUNNER token
 * for flow runs`.
 *
 * @example
 * apiTokenAdvice("a token with the RUNNER or TENANT_ADMIN role");
 * // "Run `hush login`, or set [cloud] api_key in your hush config file (…) or the environment
 * //  variable HUSH__CLOUD__API_KEY, to a token with the RUNNER or TENANT_ADMIN role; a tenant
 * //  admin creates one with `hush tokens create` (or `hush-server token create`)."
 */
export function apiTokenAdvice(token = "a valid token"): string {
  return (
    "Run `hush login`, or set [cloud] api_key in your hush config file (~/.hush/config.toml, or " +
    "the file named by HUSH__USER_CONFIG_PATH) or the environment variable HUSH__CLOUD__API_KEY, " +
    `to ${token}; a tenant admin creates one with \`hush tokens create\` (or \`hush-server token create\`).`
  );
}
