import { type ErrorExtensions, type Permission, permissions, roleMay } from "@hush/schema";
import type { Caller } from "./contract.js";
import { ServiceError } from "./errors.js";

// The rule itself lives in @hush/schema, which the web console follows too.
export type { Permission };

/** Whether the caller's role allows `permission`. */
export function isAllowed(caller: Caller, permission: Permission): boolean {
  return roleMay(caller.role, permission);
}

/** The FORBIDDEN error for a caller lacking a permission; it names the roles that may. */
export function forbidden(caller: Caller, permission: Permission): ServiceError {
  const { roles, doing } = permissions[permission];
  const allowed = roles.length === 1 ? `the ${roles[0]} role` : `the ${roles.join(" or ")} role`;
  return new ServiceError(
    "FORBIDDEN",
    `${doing} needs ${allowed}; this token has the ${caller.role} role. Ask a tenant admin for a token with ${allowed}.`,
    { extensions: forbiddenExtensions(caller, permission) },
  );
}

/** A FORBIDDEN error's `extensions`: who asked, and which roles may do `permission`. */
export function forbiddenExtensions(
  caller: Caller,
  permission: Permission,
  name?: string,
): Omit<ErrorExtensions<"FORBIDDEN">, "code"> {
  return {
    tenant: caller.tenantName,
    role: caller.role,
    requiredRoles: [...permissions[permission].roles],
    permission,
    ...(name === undefined ? {} : { name }),
  };
}
