import { isRoleName, ROLE_NAMES } from "@hush/schema";
import type { Role } from "./contract.js";
import { badInput } from "./validation.js";

/** A new token's role, checked. */
export function validateRole(role: unknown): Role {
  if (!isRoleName(role)) throw badInput(`The role must be one of ${ROLE_NAMES.join(", ")}.`);
  return role;
}

/** A new token's expiry, checked against the current time `now`; null for none. */
export function validateExpiry(expiresAt: Date | null | undefined, now: Date): Date | null {
  if (expiresAt == null) return null;
  if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime())) {
    throw badInput("expiresAt must be a valid date, e.g. 2030-01-01T00:00:00Z.");
  }
  if (expiresAt.getTime() <= now.getTime()) {
    throw badInput("expiresAt is in the past; give a time in the future, or none.");
  }
  return expiresAt;
}
