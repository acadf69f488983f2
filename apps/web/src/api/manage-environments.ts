import type { Role } from "@hush/schema/types";

/**
 * Whether `role` may create and delete environments and choose the default: TENANT_ADMIN only,
 * as the schema's environment mutations say. `@hush/schema/permissions` has no rule for it yet;
 * once it has one, this is `roleMay(role, …)`.
 */
export function mayManageEnvironments(role: Role): boolean {
  return role === "TENANT_ADMIN";
}
