/** The roles of an API token, as the schema's `Role` enum names them. */
export type RoleName = "TENANT_ADMIN" | "USER" | "RUNNER" | "READ_ONLY_USER";

/**
 * What each kind of operation needs: the one rule the server enforces and the console follows
 * to offer only what a role may do. Listing names, metadata and versions is open to every role.
 */
export const permissions = {
  readValues: { roles: ["TENANT_ADMIN", "RUNNER"], doing: "Reading secret values" },
  writeSecrets: {
    roles: ["TENANT_ADMIN", "USER"],
    doing: "Setting, deleting and rolling back secrets",
  },
  writeStartupVariables: {
    roles: ["TENANT_ADMIN"],
    doing: "Setting a secret named like a start-up variable (see isStartupVariable)",
  },
  manageTokens: { roles: ["TENANT_ADMIN"], doing: "Managing API tokens" },
  readAudit: { roles: ["TENANT_ADMIN"], doing: "Reading audit events" },
} as const satisfies Record<string, { roles: readonly RoleName[]; doing: string }>;

/** A kind of operation that only some roles may do. */
export type Permission = keyof typeof permissions;

/** Whether a token with `role` may do `permission`'s operations. */
export function roleMay(role: RoleName, permission: Permission): boolean {
  return (permissions[permission].roles as readonly RoleName[]).includes(role);
}
