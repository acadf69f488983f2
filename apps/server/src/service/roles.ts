import type { Role } from "../generated/resolvers.js";
import type { Caller } from "./contract.js";
import { ServiceError } from "./errors.js";

/** What each kind of operation needs. Listing names and metadata is open to every role. */
export const permissions = {
  readValues: { roles: ["TENANT_ADMIN", "RUNNER"], doing: "Reading secret values" },
  writeSecrets: {
    roles: ["TENANT_ADMIN", "USER"],
    doing: "Setting, deleting and rolling back secrets",
  },
  manageTokens: { roles: ["TENANT_ADMIN"], doing: "Managing API tokens" },
  readAudit: { roles: ["TENANT_ADMIN"], doing: "Reading audit events" },
} as const satisfies Record<string, { roles: readonly Role[]; doing: string }>;

export type Permission = keyof typeof permissions;

export function isAllowed(caller: Caller, permission: Permission): boolean {
  return (permissions[permission].roles as readonly Role[]).includes(caller.role);
}

/** The FORBIDDEN error for a caller lacking a permission; it names the roles that may. */
export function forbidden(caller: Caller, permission: Permission): ServiceError {
  const { roles, doing } = permissions[permission];
  const allowed = roles.length === 1 ? `the ${roles[0]} role` : `the ${roles.join(" or ")} role`;
  return new ServiceError(
    "FORBIDDEN",
    `${doing} needs ${allowed}; this token has the ${caller.role} role. Ask a tenant admin for a token with ${allowed}.`,
  );
}
