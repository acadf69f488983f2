import { buildSchema, isEnumType } from "graphql";
import { describe, expect, it } from "vitest";
import { permissions, roleMay } from "./permissions.js";
import { isRoleName, listRoleNames, ROLE_NAMES, ROLES } from "./roles.js";
import { typeDefs } from "./schema-sdl.js";

describe("ROLES", () => {
  it("names the schema's Role values, in its order, with its descriptions", () => {
    const role = buildSchema(typeDefs).getType("Role");
    if (!isEnumType(role)) throw new Error("Role is not an enum");
    expect(
      role.getValues().map((value) => [value.name, value.description?.replace(/\s+/g, " ")]),
    ).toEqual(ROLE_NAMES.map((name) => [name, ROLES[name].description]));
  });

  it("gives each permission to the roles it always went to, in that order", () => {
    expect(
      Object.fromEntries(Object.entries(permissions).map(([name, { roles }]) => [name, roles])),
    ).toEqual({
      readValues: ["TENANT_ADMIN", "RUNNER"],
      writeSecrets: ["TENANT_ADMIN", "USER"],
      writeStartupVariables: ["TENANT_ADMIN"],
      manageTokens: ["TENANT_ADMIN"],
      readAudit: ["TENANT_ADMIN"],
      manageEnvironments: ["TENANT_ADMIN"],
      manageTrusts: ["TENANT_ADMIN"],
      manageWebhooks: ["TENANT_ADMIN"],
      // A token's environments grant it, not a role.
      useEnvironment: [],
    });
    expect(roleMay("RUNNER", "readValues")).toBe(true);
    expect(roleMay("USER", "readValues")).toBe(false);
    expect(roleMay("READ_ONLY_USER", "writeSecrets")).toBe(false);
  });

  it("knows a role's name only as it is written", () => {
    expect(isRoleName("RUNNER")).toBe(true);
    for (const other of ["runner", "ADMIN", "constructor", "__proto__", 1, undefined]) {
      expect(isRoleName(other)).toBe(false);
    }
    expect(listRoleNames()).toBe("TENANT_ADMIN, USER, RUNNER or READ_ONLY_USER");
  });
});
