import type { Caller, HushService, Role } from "../../src/index.js";

/** A tenant with one caller (and its bearer token) per role. */
export interface SeededTenant {
  tenant: { id: string; name: string };
  tokens: Record<Role, string>;
  callers: Record<Role, Caller>;
}

const OTHER_ROLES: readonly Role[] = ["USER", "RUNNER", "READ_ONLY_USER"];

/** Creates a tenant and a token for every role in it, named after the role in lower case. */
export async function seedTenant(service: HushService, name = "acme"): Promise<SeededTenant> {
  const { tenant, token } = await service.createTenant(name);
  const admin = await service.authenticate(token);
  if (admin === undefined) throw new Error("the new admin token does not authenticate");
  const tokens = { TENANT_ADMIN: token } as Record<Role, string>;
  const callers = { TENANT_ADMIN: admin } as Record<Role, Caller>;
  for (const role of OTHER_ROLES) {
    const created = await service.createApiToken(admin, { name: role.toLowerCase(), role });
    const caller = await service.authenticate(created.token);
    if (caller === undefined) throw new Error(`the new ${role} token does not authenticate`);
    tokens[role] = created.token;
    callers[role] = caller;
  }
  return { tenant, tokens, callers };
}
