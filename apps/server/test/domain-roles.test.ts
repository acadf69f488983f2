import { rejection } from "@hush/test-support";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Caller, HushService, Role } from "../src/index.js";
import { describeBackends, type OpenedBackend } from "./support/backends.js";
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

  it("lets only a TENANT_ADMIN set, import or roll back a secret named like a start-up variable", async () => {
    const { TENANT_ADMIN: admin, USER: user } = tenant.callers;
    const payload = "--require ./payload-value-1234.js";
    const [setOne, lowerCase, imported] = await Promise.all([
      rejection(opened.service.setSecret(user, "NODE_OPTIONS", payload)),
      rejection(opened.service.setSecret(user, "ld_preload", payload)),
      rejection(
        opened.service.setSecrets(user, [
          { name: "OK_NAME", value: "fine" },
          { name: "BASH_ENV", value: payload },
        ]),
      ),
    ]);
    expect(setOne.code).toBe("FORBIDDEN");
    expect(setOne.message).toMatch(
      /^Only a TENANT_ADMIN may set NODE_OPTIONS: it changes how programs start/,
    );
    expect(lowerCase.message).toMatch(/^Only a TENANT_ADMIN may set ld_preload:/);
    expect(imported.message).toMatch(/^Only a TENANT_ADMIN may set BASH_ENV:/);
    for (const error of [setOne, lowerCase, imported]) {
      expect(JSON.stringify({ ...error, message: error.message })).not.toContain("payload-value");
    }
    // The import is all or nothing: its ordinary name was not written either.
    expect(await opened.service.secretNames(user)).not.toContain("OK_NAME");

    await opened.service.setSecret(admin, "NODE_OPTIONS", payload);
    await opened.service.setSecrets(admin, [{ name: "PATH", value: "/opt/evil" }]);
    await opened.service.setSecret(admin, "NODE_OPTIONS", "--max-old-space-size=64");
    const rollback = await rejection(opened.service.rollbackSecret(user, "NODE_OPTIONS", 1));
    expect(rollback.message).toMatch(/^Only a TENANT_ADMIN may set NODE_OPTIONS:/);
    await opened.service.rollbackSecret(admin, "NODE_OPTIONS", 1);
    // Removing one is not a way in: a USER may still delete it.
    await opened.service.deleteSecret(user, "PATH");
    // An ordinary name stays open to USER, NODE_ENV included.
    await opened.service.setSecret(user, "NODE_ENV", "production");

    const events = await opened.service.auditEvents(admin, {
      limit: 50,
      offset: 0,
      action: "SET_SECRET",
    });
    expect(
      events
        .filter((e) => e.outcome === "DENIED" && e.actor === "user")
        .map((e) => e.secretName)
        .sort(),
    ).toEqual(["BASH_ENV", "NODE_OPTIONS", "ld_preload"]);
  });

  it("never leaks a value through a refused read", async () => {
    const user = tenant.callers.USER;
    const error = await rejection(opened.service.secretValue(user, "EXISTING"));
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain('"v"');
  });
});
