import { isRoleName, ROLE_NAMES, ROLES, type RoleName } from "./roles.js";

export type { RoleName } from "./roles.js";

/** What each kind of operation is, in words that start a sentence of a FORBIDDEN message. */
const DOING = {
  readValues: "Reading secret values",
  writeSecrets: "Setting, deleting and rolling back secrets",
  writeStartupVariables: "Setting a secret named like a start-up variable (see isStartupVariable)",
  manageTokens: "Managing API tokens",
  readAudit: "Reading audit events",
  manageEnvironments: "Creating, deleting and choosing the default environment",
  useEnvironment: "Using an environment outside the token's environments",
  manageTrusts: "Managing identity trusts",
  manageWebhooks: "Managing webhooks",
} as const;

/** A kind of operation that only some roles may do. */
export type Permission = keyof typeof DOING;

/** Who may do a kind of operation, and what it is. */
export interface PermissionRule {
  /** The roles that may, in `ROLES`' order. */
  readonly roles: readonly RoleName[];
  readonly doing: string;
}

function ruleOf(permission: Permission): PermissionRule {
  const roles = ROLE_NAMES.filter((role) =>
    (ROLES[role].permissions as readonly Permission[]).includes(permission),
  );
  return { roles, doing: DOING[permission] };
}

/**
 * What each kind of operation needs, read from `ROLES`: the one rule the server enforces and
 * the console follows to offer only what a role may do. Listing names, metadata and versions is
 * open to every role.
 */
export const permissions: Readonly<Record<Permission, PermissionRule>> = {
  readValues: ruleOf("readValues"),
  writeSecrets: ruleOf("writeSecrets"),
  writeStartupVariables: ruleOf("writeStartupVariables"),
  manageTokens: ruleOf("manageTokens"),
  readAudit: ruleOf("readAudit"),
  manageEnvironments: ruleOf("manageEnvironments"),
  // No role grants it: a token's environments do (`ApiToken.environments`).
  useEnvironment: ruleOf("useEnvironment"),
  manageTrusts: ruleOf("manageTrusts"),
  manageWebhooks: ruleOf("manageWebhooks"),
};

/** Whether a token with `role` may do `permission`'s operations. */
export function roleMay(role: RoleName, permission: Permission): boolean {
  return (
    isRoleName(role) && (ROLES[role].permissions as readonly Permission[]).includes(permission)
  );
}
