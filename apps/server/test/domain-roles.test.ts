import { afterAll, beforeAll, expect, it } from "vitest";
import type { Caller, HushService, Role } from "../src/index.js";
import { describeBackends, type OpenedBackend } from "./support/backends.js";
import { rejection } from "./support/rejection.js";
import { type SeededTenant, seedTenant } from "./support/seed.js";

type Operation = {
  name: string;
  allowed: readonly Role[];
  run(service: HushService, caller: Caller, tenant: SeededTenant): Promise<unknown>;
};

const everyone: readonly Role[] = ["TENANT_ADMIN", "USER", "RUNNER", "READ_ONLY_USER"];

// The DESIGN.md role rules, one row per service operation.
const operations: Operation[] = [
  { name: "secretNames", allowed: everyone, run: (s, c) => s.secretNames(c) },
  { name: "listSecrets", allowed: everyone, run: (s, c) => s.listSecrets(c, { orderBy: [] }) },
  { name: "secretVersions", allowed: everyone, run: (s, c) => s.secretVersions(c, "EXISTING") },
  {
    name: "secretValue",
    allowed: ["TENANT_ADMIN", "RUNNER"],
    run: (s, c) => s.secretValue(c, "EXISTING"),
  },
  {
    name: "secretValues",
    allowed: ["TENANT_ADMIN", "RUNNER"],
    run: (s, c) => s.secretValues(c, ["EXISTING"]),
  },
  {
    name: "secretValues (all)",
    allowed: ["TENANT_ADMIN", "RUNNER"],
    run: (s, c) => s.secretValues(c, undefined),
  },
  {
    name: "setSecret",
    allowed: ["TENANT_ADMIN", "USER"],
    run: (s, c) => s.setSecret(c, "WRITTEN", 1),
  },
  {
    name: "deleteSecret",
    allowed: ["TENANT_ADMIN", "USER"],
    run: async (s, c, t) => {
      await s.setSecret(t.callers.TENANT_ADMIN, `DEL_${c.role}`, 1);
      return s.deleteSecret(c, `DEL_${c.role}`);
    },
  },
  {
    name: "rollbackSecret",
    allowed: ["TENANT_ADMIN", "USER"],
    run: (s, c) => s.rollbackSecret(c, "EXISTING", 1),
  },
  {
    name: "createApiToken",
    allowed: ["TENANT_ADMIN"],
    run: (s, c) => s.createApiToken(c, { name: "made", role: "RUNNER" }),
  },
  { name: "apiTokens", allowed: ["TENANT_ADMIN"], run: (s, c) => s.apiTokens(c) },
  {
    name: "revokeApiToken",
    allowed: ["TENANT_ADMIN"],
    run: async (s, c, t) => {
      const made = await s.createApiToken(t.callers.TENANT_ADMIN, {
        name: `revoked-by-${c.role}`,
        role: "USER",
      });
      return s.revokeApiToken(c, made.apiToken.id);
    },
  },
  {
    name: "auditEvents",
    allowed: ["TENANT_ADMIN"],
    run: (s, c) => s.auditEvents(c, { limit: 10, offset: 0 }),
  },
];

const cases = operations.flatMap((op) =>
  everyone.map((role) => ({ op: op.name, role, allowed: op.allowed.includes(role), run: op.run })),
);

describeBackends("role rules", (backend) => {
  let opened: OpenedBackend;
  let tenant: SeededTenant;

  beforeAll(async () => {
    opened = await backend.open();
    tenant = await seedTenant(opened.service);
    await opened.service.setSecret(tenant.callers.TENANT_ADMIN, "EXISTING", "v");
  });
  afterAll(async () => {
    await opened.cleanup();
  });

  it.each(cases)("$op as $role: allowed=$allowed", async ({ role, allowed, run }) => {
    const outcome = run(opened.service, tenant.callers[role], tenant);
    if (allowed) {
      await outcome;
      return;
    }
    const error = await outcome.then(
      () => undefined,
      (e: { code?: string; message: string }) => e,
    );
    expect(error?.code).toBe("FORBIDDEN");
    expect(error?.message).toContain(`this token has the ${role} role`);
    // The message names the roles that may do it.
    const allowedRoles = operations.find((o) => o.run === run)!.allowed;
    for (const r of allowedRoles) expect(error?.message).toContain(r);
  });

  it("never leaks a value through a refused read", async () => {
    const user = tenant.callers.USER;
    const error = await rejection(opened.service.secretValue(user, "EXISTING"));
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('"v"');
  });
});
