import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Caller, HushService } from "../src/index.js";
import { describeBackends, type OpenedBackend } from "./support/backends.js";
import { seedTenant } from "./support/seed.js";

describeBackends("tokens and tenants", (backend) => {
  let opened: OpenedBackend;
  let service: HushService;
  let admin: Caller;
  let adminToken: string;
  // A clock the tests move forward instead of waiting.
  let now: number;

  beforeEach(async () => {
    now = Date.parse("2030-01-01T00:00:00.000Z");
    opened = await backend.open({ clock: () => new Date(now) });
    service = opened.service;
    const seeded = await seedTenant(service);
    admin = seeded.callers.TENANT_ADMIN;
    adminToken = seeded.tokens.TENANT_ADMIN;
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  describe("create and authenticate", () => {
    it("creates hush_ tokens that authenticate as their tenant and role", async () => {
      const created = await service.createApiToken(admin, { name: "ci-runner", role: "RUNNER" });
      expect(created.token).toMatch(/^hush_[A-Za-z0-9_-]{43}$/);
      expect(created.apiToken).toMatchObject({
        name: "ci-runner",
        role: "RUNNER",
        expiresAt: null,
        revokedAt: null,
      });
      expect(await service.authenticate(created.token)).toEqual({
        tenantId: admin.tenantId,
        tenantName: "acme",
        tokenId: created.apiToken.id,
        tokenName: "ci-runner",
        role: "RUNNER",
        environments: null,
      });
    });

    it("does not authenticate unknown, malformed or near-miss tokens", async () => {
      const near = `${adminToken.slice(0, -1)}${adminToken.endsWith("A") ? "B" : "A"}`;
      for (const token of [
        near,
        "",
        "hush_",
        "Bearer x",
        adminToken.toUpperCase(),
        "x".repeat(10_000),
      ]) {
        expect(await service.authenticate(token)).toBeUndefined();
      }
      expect(await service.authenticate(adminToken)).toBeDefined();
    });

    it("lists tokens without the token itself", async () => {
      const created = await service.createApiToken(admin, { name: "listed", role: "USER" });
      const tokens = await service.apiTokens(admin);
      expect(tokens.map((t) => t.name)).toEqual([
        "admin",
        "user",
        "runner",
        "read_only_user",
        "listed",
      ]);
      expect(JSON.stringify(tokens)).not.toContain(created.token);
      expect(JSON.stringify(tokens)).not.toContain(adminToken);
    });

    it("validates names, roles and expiry", async () => {
      const bad = [
        { name: "", role: "USER" },
        { name: " padded ", role: "USER" },
        { name: "tab\there", role: "USER" },
        { name: "x".repeat(101), role: "USER" },
        { name: "ok", role: "SUPERUSER" },
        { name: "ok", role: "USER", expiresAt: new Date(now - 1) },
        { name: "ok", role: "USER", expiresAt: new Date(Number.NaN) },
      ] as const;
      for (const input of bad) {
        await expect(
          service.createApiToken(admin, input as Parameters<HushService["createApiToken"]>[1]),
        ).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
      }
    });

    it("keeps tokens out of inspect and JSON output of the service", () => {
      expect(inspect(service, { depth: 10 })).not.toContain("hush_");
      expect(JSON.stringify(service)).not.toContain("hush_");
    });
  });

  describe("expiry and revocation", () => {
    it("stops a token at its expiry time, even when its check is cached", async () => {
      const created = await service.createApiToken(admin, {
        name: "short",
        role: "RUNNER",
        expiresAt: new Date(now + 60_000),
      });
      expect(await service.authenticate(created.token)).toBeDefined();
      now += 59_000;
      expect(await service.authenticate(created.token)).toBeDefined();
      now += 1_000;
      expect(await service.authenticate(created.token)).toBeUndefined();
    });

    it("stops a revoked token at once in this process", async () => {
      const created = await service.createApiToken(admin, { name: "doomed", role: "USER" });
      expect(await service.authenticate(created.token)).toBeDefined();
      await service.revokeApiToken(admin, created.apiToken.id);
      expect(await service.authenticate(created.token)).toBeUndefined();
      const listed = (await service.apiTokens(admin)).find((t) => t.id === created.apiToken.id);
      expect(listed?.revokedAt).toEqual(new Date(now));
    });

    it("stops a token revoked by another process once the cache entry expires", async () => {
      const created = await service.createApiToken(admin, { name: "elsewhere", role: "USER" });
      expect(await service.authenticate(created.token)).toBeDefined();
      const replica = await opened.reopen({ clock: () => new Date(now) });
      await replica.revokeApiToken(admin, created.apiToken.id);
      // Within the cache's few seconds the first process may still accept it; after, never.
      now += 5_000;
      expect(await service.authenticate(created.token)).toBeUndefined();
    });

    it("keeps the first revocation time and is NOT_FOUND for other tenants' tokens", async () => {
      const created = await service.createApiToken(admin, { name: "twice", role: "USER" });
      await service.revokeApiToken(admin, created.apiToken.id);
      now += 1_000;
      await service.revokeApiToken(admin, created.apiToken.id);
      const listed = (await service.apiTokens(admin)).find((t) => t.id === created.apiToken.id);
      expect(listed?.revokedAt).toEqual(new Date(now - 1_000));

      const other = (await seedTenant(service, "globex")).callers.TENANT_ADMIN;
      const theirs = await service.createApiToken(other, { name: "theirs", role: "USER" });
      await expect(service.revokeApiToken(admin, theirs.apiToken.id)).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
      expect(await service.authenticate(theirs.token)).toBeDefined();
    });

    it("lets an admin revoke its own token once another admin exists", async () => {
      await service.createApiToken(admin, { name: "successor", role: "TENANT_ADMIN" });
      await service.revokeApiToken(admin, admin.tokenId);
      expect(await service.authenticate(adminToken)).toBeUndefined();
    });
  });

  describe("admin operations", () => {
    it("creates tenants with a first admin token named admin", async () => {
      const { tenant, token } = await service.createTenant("initech");
      expect(tenant.name).toBe("initech");
      expect(await service.authenticate(token)).toMatchObject({
        tenantId: tenant.id,
        tokenName: "admin",
        role: "TENANT_ADMIN",
      });
      expect((await service.listTenants()).map((t) => t.name)).toEqual(["acme", "initech"]);
    });

    it("refuses a duplicate or invalid tenant name", async () => {
      await expect(service.createTenant("acme")).rejects.toMatchObject({
        code: "BAD_USER_INPUT",
        message: expect.stringContaining("already exists"),
      });
      await expect(service.createTenant("has space")).rejects.toMatchObject({
        code: "BAD_USER_INPUT",
      });
    });

    it("creates tokens offline for an existing tenant only", async () => {
      const made = await service.createTokenOffline({
        tenantName: "acme",
        role: "TENANT_ADMIN",
        name: "admin-2",
      });
      expect(await service.authenticate(made.token)).toMatchObject({
        tokenId: made.id,
        tenantName: "acme",
        role: "TENANT_ADMIN",
      });
      await expect(
        service.createTokenOffline({ tenantName: "nobody", role: "USER", name: "x" }),
      ).rejects.toMatchObject({
        code: "NOT_FOUND",
        message: expect.stringContaining("tenant create"),
      });
    });
  });
});
