import type { Permission } from "./permissions.js";

/**
 * The roles of an API token, as the schema's `Role` enum names them (and in its order): what
 * each is for, in one line, and the permissions it holds. The one table that the server's
 * checks, the help texts and the console's role select are built from.
 */
export const ROLES = {
  TENANT_ADMIN: {
    description: "Everything in the tenant: secrets, values, tokens and the audit log.",
    permissions: [
      "readValues",
      "writeSecrets",
      "writeStartupVariables",
      "manageTokens",
      "readAudit",
      "manageEnvironments",
      "manageTrusts",
      "manageWebhooks",
    ],
  },
  USER: {
    description: "Set, delete, roll back and list secrets; cannot read values.",
    permissions: ["writeSecrets"],
  },
  RUNNER: {
    description: "Read secret values and list names: the role for flow runs and agents.",
    permissions: ["readValues"],
  },
  READ_ONLY_USER: {
    description: "List secret names and versions only.",
    permissions: [],
  },
} as const satisfies Record<
  string,
  { readonly description: string; readonly permissions: readonly Permission[] }
>;

/** The role of an API token, one of `ROLES`. */
export type RoleName = keyof typeof ROLES;

/** The role names, in the schema's order. */
export const ROLE_NAMES = Object.keys(ROLES) as readonly RoleName[];

/** Whether `name` is a role's name (exactly, upper case). */
export function isRoleName(name: unknown): name is RoleName {
  return typeof name === "string" && Object.hasOwn(ROLES, name);
}

/** The role names as prose: "TENANT_ADMIN, USER, RUNNER or READ_ONLY_USER". */
export function listRoleNames(): string {
  return `${ROLE_NAMES.slice(0, -1).join(", ")} or ${ROLE_NAMES.at(-1)}`;
}
