import { afterEach, beforeEach, expect, it } from "vitest";
import type { AuditEventRecord, HushService } from "../src/index.js";
import { describeBackends, type OpenedBackend } from "./support/backends.js";
import { type SeededTenant, seedTenant } from "./support/seed.js";

const summary = (events: AuditEventRecord[]) =>
  events.map((e) => [e.action, e.outcome, e.actor, e.secretName, e.version]);

describeBackends("audit events", (backend) => {
  let opened: OpenedBackend;
  let service: HushService;
  let t: SeededTenant;

  beforeEach(async () => {
    opened = await backend.open();
    service = opened.service;
    t = await seedTenant(service);
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  const events = (query: { limit?: number; offset?: number; name?: string } = {}) =>
    service.auditEvents(t.callers.TENANT_ADMIN, { limit: 1000, offset: 0, ...query });
  const ignore = () => {};

  it("records every write and value read, refused and missing ones too, newest first", async () => {
    const { TENANT_ADMIN: admin, USER: user, RUNNER: runner, READ_ONLY_USER: reader } = t.callers;
    await service.setSecret(user, "DB_PASSWORD", "CANARY-audit-value");
    await service.secretValue(runner, "DB_PASSWORD");
    await service.secretValue(user, "DB_PASSWORD").catch(ignore);
    await service.secretValue(runner, "MISSING").catch(ignore);
    await service.setSecret(reader, "DB_PASSWORD", "x").catch(ignore);
    await service.rollbackSecret(admin, "DB_PASSWORD", 1);
    await service.deleteSecret(user, "DB_PASSWORD");
    await service.deleteSecret(user, "DB_PASSWORD").catch(ignore);
    await service.secretValues(runner, ["MISSING_A"]).catch(ignore);

    const all = await events({ name: "DB_PASSWORD" });
    expect(summary(all)).toEqual([
      ["DELETE_SECRET", "NOT_FOUND", "user", "DB_PASSWORD", null],
      ["DELETE_SECRET", "SUCCESS", "user", "DB_PASSWORD", 3],
      ["ROLLBACK_SECRET", "SUCCESS", "admin", "DB_PASSWORD", 2],
      ["SET_SECRET", "DENIED", "read_only_user", "DB_PASSWORD", null],
      ["READ_SECRET_VALUE", "DENIED", "user", "DB_PASSWORD", null],
      ["READ_SECRET_VALUE", "SUCCESS", "runner", "DB_PASSWORD", 1],
      ["SET_SECRET", "SUCCESS", "user", "DB_PASSWORD", 1],
    ]);
    expect(summary(await events({ name: "MISSING" }))).toEqual([
      ["READ_SECRET_VALUE", "NOT_FOUND", "runner", "MISSING", null],
    ]);
    expect(summary(await events({ name: "MISSING_A" }))).toEqual([
      ["READ_SECRET_VALUE", "NOT_FOUND", "runner", "MISSING_A", null],
    ]);
    expect(JSON.stringify(await events())).not.toContain("CANARY");
    for (const e of all) expect(e.at).toBeInstanceOf(Date);
  });

  it("records every one of many concurrent reads, repeats counted on one event", async () => {
    const { TENANT_ADMIN: admin, RUNNER: runner, USER: user } = t.callers;
    await service.setSecret(admin, "HOT", 1);
    const attempts = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 0
        ? service.secretValue(user, "HOT").catch(ignore)
        : service.secretValue(runner, i % 3 === 1 ? "HOT" : "COLD").catch(ignore),
    );
    await Promise.all(attempts);
    const hot = await events({ name: "HOT" });
    const cold = await events({ name: "COLD" });
    const reads = (list: AuditEventRecord[], outcome: string) =>
      list.filter((e) => e.action === "READ_SECRET_VALUE" && e.outcome === outcome);
    const count = (list: AuditEventRecord[], outcome: string) =>
      reads(list, outcome).reduce((sum, e) => sum + e.count, 0);
    expect(count(hot, "SUCCESS")).toBe(20);
    expect(count(hot, "DENIED")).toBe(20);
    expect(count(cold, "NOT_FOUND")).toBe(20);
    // The same token doing the same thing in the same minute: one event each.
    expect(reads(hot, "SUCCESS")).toHaveLength(1);
    expect(reads(hot, "DENIED")).toHaveLength(1);
    expect(reads(cold, "NOT_FOUND")).toHaveLength(1);
  });

  it("records token creation and revocation, not the tokens", async () => {
    const admin = t.callers.TENANT_ADMIN;
    const made = await service.createApiToken(admin, { name: "temp", role: "USER" });
    await service.revokeApiToken(admin, made.apiToken.id);
    await service.createApiToken(t.callers.USER, { name: "nope", role: "USER" }).catch(ignore);
    const latest = await events({ limit: 3 });
    expect(summary(latest)).toEqual([
      ["CREATE_API_TOKEN", "DENIED", "user", null, null],
      ["REVOKE_API_TOKEN", "SUCCESS", "admin", null, null],
      ["CREATE_API_TOKEN", "SUCCESS", "admin", null, null],
    ]);
    expect(JSON.stringify(await events())).not.toContain(made.token);
  });

  it("pages with limit and offset and stays within the tenant", async () => {
    const admin = t.callers.TENANT_ADMIN;
    for (let i = 0; i < 5; i++) await service.setSecret(admin, `S${i}`, i);
    const other = await seedTenant(service, "globex");
    await service.setSecret(other.callers.TENANT_ADMIN, "S9", 9);

    const page = await events({ limit: 2, offset: 1 });
    expect(page.map((e) => e.secretName)).toEqual(["S3", "S2"]);
    const everything = await events();
    expect(everything.some((e) => e.secretName === "S9")).toBe(false);
    const theirs = await service.auditEvents(other.callers.TENANT_ADMIN, { limit: 100, offset: 0 });
    expect(theirs.filter((e) => e.secretName !== null).map((e) => e.secretName)).toEqual(["S9"]);
    for (const query of [{ limit: 0 }, { limit: 1001 }, { offset: -1 }, { limit: 1.5 }]) {
      await expect(events(query)).rejects.toMatchObject({ code: "BAD_USER_INPUT" });
    }
  });
});
