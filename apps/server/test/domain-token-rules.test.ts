import { rejection } from "@hush/test-support";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Caller, HushService } from "../src/index.js";
import { tokenNames } from "../src/storage/migrations/0003-token-names.js";
import { describeBackends, type OpenedBackend } from "./support/backends.js";
import { rawKysely, rawSql } from "./support/raw-database.js";
import { seedTenant } from "./support/seed.js";

describeBackends("token rules", (backend) => {
  let opened: OpenedBackend;
  let service: HushService;
  let admin: Caller;
  let now: number;

  beforeEach(async () => {
    now = Date.parse("2030-01-01T00:00:00.000Z");
    opened = await backend.open({ clock: () => new Date(now) });
    service = opened.service;
    admin = (await seedTenant(service)).callers.TENANT_ADMIN;
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  const secondAdmin = async (name = "admin-2", expiresAt: Date | null = null) => {
    const made = await service.createApiToken(admin, { name, role: "TENANT_ADMIN", expiresAt });
    return (await service.authenticate(made.token))!;
  };

  describe("the last tenant admin", () => {
    it("cannot revoke itself: the message says how to hand over first", async () => {
      const refused = await rejection(service.revokeApiToken(admin, admin.tokenId));
      expect(refused.code).toBe("BAD_USER_INPUT");
      expect(refused.message).toContain("last active TENANT_ADMIN token");
      expect(refused.message).toContain("hush tokens create");
      expect(refused.message).toContain("--role TENANT_ADMIN");
      expect(
        (await service.apiTokens(admin)).find((t) => t.id === admin.tokenId)?.revokedAt,
      ).toBeNull();
    });

    it("can once another admin exists, and then that one is the last", async () => {
      const other = await secondAdmin();
      await service.revokeApiToken(admin, admin.tokenId);
      const refused = await rejection(service.revokeApiToken(other, other.tokenId));
      expect(refused.code).toBe("BAD_USER_INPUT");
    });

    it("does not count expired or revoked admins as a hand-over", async () => {
      await secondAdmin("soon-gone", new Date(now + 60_000));
      const revoked = await secondAdmin("revoked-admin");
      await service.revokeApiToken(admin, revoked.tokenId);
      now += 60_000;
      expect((await rejection(service.revokeApiToken(admin, admin.tokenId))).code).toBe(
        "BAD_USER_INPUT",
      );
    });

    it("never ends at zero when two admins revoke each other at once", async () => {
      for (let round = 0; round < 5; round++) {
        const a = await secondAdmin(`a-${round}`);
        const b = await secondAdmin(`b-${round}`);
        await service.revokeApiToken(a, admin.tokenId).catch(() => {});
        admin = a;
        const results = await Promise.allSettled([
          service.revokeApiToken(a, b.tokenId),
          service.revokeApiToken(b, a.tokenId),
        ]);
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        const active = (await rawSql(
          opened,
          `select count(*) as n from api_tokens where role = 'TENANT_ADMIN' and revoked_at is null and tenant_id = '${a.tenantId}'`,
        )) as { n: number | string }[];
        expect(Number(active[0]!.n)).toBe(1);
        admin = results[0]!.status === "fulfilled" ? a : b;
      }
    });

    it("cannot be revoked offline either, unless forced", async () => {
      const refused = await rejection(service.revokeTokenOffline(admin.tokenId));
      expect(refused.code).toBe("BAD_USER_INPUT");
      expect(refused.message).toContain(
        "hush-server token create --tenant acme --role TENANT_ADMIN",
      );
      expect(refused.message).toContain("--force");
      const forced = await service.revokeTokenOffline(admin.tokenId, { force: true });
      expect(forced).toMatchObject({ name: "admin", wasRevoked: false });
    });

    it("can be revoked offline once another admin exists", async () => {
      await secondAdmin();
      expect(await service.revokeTokenOffline(admin.tokenId)).toMatchObject({ wasRevoked: false });
    });
  });

  describe("token names", () => {
    it("are unique in a tenant, revoked tokens included, and free in another tenant", async () => {
      const first = await service.createApiToken(admin, { name: "ci", role: "RUNNER" });
      const again = await rejection(service.createApiToken(admin, { name: "ci", role: "USER" }));
      expect(again.code).toBe("BAD_USER_INPUT");
      expect(again.message).toContain('A token named "ci" already exists');
      await service.revokeApiToken(admin, first.apiToken.id);
      expect(
        (await rejection(service.createApiToken(admin, { name: "ci", role: "USER" }))).code,
      ).toBe("BAD_USER_INPUT");
      // A RUNNER cannot pass for the admin by name.
      expect(
        (await rejection(service.createApiToken(admin, { name: "admin", role: "RUNNER" }))).code,
      ).toBe("BAD_USER_INPUT");
      expect(
        (
          await rejection(
            service.createTokenOffline({ tenantName: "acme", role: "USER", name: "ci" }),
          )
        ).code,
      ).toBe("BAD_USER_INPUT");
      const globex = (await seedTenant(service, "globex")).callers.TENANT_ADMIN;
      await service.createApiToken(globex, { name: "ci", role: "RUNNER" });
    });

    it("stay unique when two admins create the same name at once", async () => {
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, () =>
          service.createApiToken(admin, { name: "race", role: "USER" }),
        ),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) {
        if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "BAD_USER_INPUT" });
      }
    });

    it("refuse controls, bidi overrides, zero-width and separator characters", async () => {
      for (const name of [
        "admin\u202e",
        "\u202dadmin",
        "ad\u200bmin",
        "admin\u0085",
        "adm\u009bin",
        "line\u2028break",
        "bom\ufeff",
        "lone\ud800",
        "tab\there",
        "esc\u001b[31m",
      ]) {
        const refused = await rejection(service.createApiToken(admin, { name, role: "RUNNER" }));
        expect(refused.code, JSON.stringify(name)).toBe("BAD_USER_INPUT");
        expect(refused.message).not.toContain(name);
      }
      await service.createApiToken(admin, { name: "déploiement 生产 🔑", role: "RUNNER" });
    });
  });

  describe("existing databases", () => {
    it("get unique, printable token names and a unique index when migrated", async () => {
      await rawSql(opened, "drop index api_tokens_tenant_name");
      const insert = (id: string, name: string, created: string) =>
        rawSql(
          opened,
          `insert into api_tokens (id, tenant_id, name, role, token_hash, created, created_by) values ('${id}', '${admin.tenantId}', '${name}', 'RUNNER', 'hash-${id}', '${created}', 'test')`,
        );
      await insert("t1", "admin", "2030-01-02T00:00:00.000Z");
      await insert("t2", "runner", "2030-01-03T00:00:00.000Z");
      await insert("t3", "evil\u202egnp", "2030-01-04T00:00:00.000Z");
      await insert("t4", "admin (2)", "2030-01-05T00:00:00.000Z");
      await insert("t5", "c1\u0085", "2030-01-06T00:00:00.000Z");
      await service.close();
      // Later migrations ran too, so the migrator would not run this one again: run it here.
      const db = rawKysely(opened);
      await tokenNames.up(db);
      await db.destroy();
      service = await opened.reopen({ clock: () => new Date(now) });
      const names = (await service.apiTokens(admin)).map((t) => t.name);
      expect(names).toEqual([
        "admin",
        "user",
        "runner",
        "read_only_user",
        "admin (3)",
        "runner (2)",
        "evil\\u202egnp",
        "admin (2)",
        "c1\\u0085",
      ]);
      await expect(insert("t6", "admin", "2030-01-07T00:00:00.000Z")).rejects.toThrow();
    });
  });

  describe("audit events", () => {
    it("carry the actor's token id", async () => {
      const runner = await service.createApiToken(admin, { name: "ci", role: "RUNNER" });
      const caller = (await service.authenticate(runner.token))!;
      await service.setSecret(admin, "K", "v");
      await service.secretValue(caller, "K");
      const events = await service.auditEvents(admin, { limit: 10, offset: 0 });
      expect(events[0]).toMatchObject({ actor: "ci", actorTokenId: runner.apiToken.id });
      expect(events.find((e) => e.action === "SET_SECRET")).toMatchObject({
        actor: "admin",
        actorTokenId: admin.tokenId,
      });
      await service.revokeTokenOffline(runner.apiToken.id);
      expect((await service.auditEvents(admin, { limit: 1, offset: 0 }))[0]).toMatchObject({
        actor: "hush-server",
        actorTokenId: null,
      });
    });
  });
});
