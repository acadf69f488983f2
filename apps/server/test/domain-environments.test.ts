import { afterEach, beforeEach, expect, it } from "vitest";
import type { Caller, HushService } from "../src/index.js";
import { describeBackends, type OpenedBackend } from "./support/backends.js";
import { type SeededTenant, seedTenant } from "./support/seed.js";

function errorOf(promise: Promise<unknown>) {
  return promise.then(
    () => undefined,
    (error: { code?: string; message: string; extensions?: Record<string, unknown> }) => error,
  );
}

describeBackends("environments", (backend) => {
  let opened: OpenedBackend;
  let service: HushService;
  let seeded: SeededTenant;
  let admin: Caller;

  beforeEach(async () => {
    opened = await backend.open();
    service = opened.service;
    seeded = await seedTenant(service);
    admin = seeded.callers.TENANT_ADMIN;
    await service.createEnvironment(admin, "staging");
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  it("starts with production as the default and keeps each environment's values apart", async () => {
    const list = await service.environments(admin);
    expect(list.map((e) => [e.name, e.isDefault])).toEqual([
      ["production", true],
      ["staging", false],
    ]);
    await service.setSecret(admin, "DB", "prod-db");
    await service.setSecret(admin, "DB", "staging-db", "staging");
    await service.setSecret(admin, "DB", "staging-db-2", "staging");
    expect(await service.secretValue(admin, "DB")).toBe("prod-db");
    expect(await service.secretValue(admin, "DB", undefined, "staging")).toBe("staging-db-2");
    expect((await service.secretVersions(admin, "DB", "staging")).length).toBe(2);
    expect((await service.secretVersions(admin, "DB", "production")).length).toBe(1);
    await service.rollbackSecret(admin, "DB", 1, "staging");
    expect(await service.secretValue(admin, "DB", undefined, "staging")).toBe("staging-db");
    const events = await service.auditEvents(admin, {
      limit: 100,
      offset: 0,
      environment: "staging",
    });
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.environment === "staging")).toBe(true);
  });

  it("refuses an unknown environment as BAD_USER_INPUT naming it", async () => {
    const error = await errorOf(service.secretNames(admin, "nowhere"));
    expect(error?.code).toBe("BAD_USER_INPUT");
    expect(error?.message).toContain('"nowhere"');
    expect((await errorOf(service.createEnvironment(admin, "Bad_Name")))?.code).toBe(
      "BAD_USER_INPUT",
    );
  });

  it("scopes tokens: the only environment is the default, others are FORBIDDEN and audited", async () => {
    const created = await service.createApiToken(admin, {
      name: "staging-runner",
      role: "RUNNER",
      environments: ["staging"],
    });
    expect(created.apiToken.environments).toEqual(["staging"]);
    const runner = (await service.authenticate(created.token))!;
    await service.setSecret(admin, "K", "in-staging", "staging");
    await service.setSecret(admin, "K", "in-production");
    expect(await service.secretValue(runner, "K")).toBe("in-staging");
    const refused = await errorOf(service.secretValue(runner, "K", undefined, "production"));
    expect(refused?.code).toBe("FORBIDDEN");
    expect(refused?.extensions).toMatchObject({ environment: "production" });
    const denied = await service.auditEvents(admin, {
      limit: 10,
      offset: 0,
      action: "READ_SECRET_VALUE",
    });
    expect(denied.some((e) => e.outcome === "DENIED" && e.environment === "production")).toBe(true);
    // A scoped token cannot make a token that reaches further.
    const scopedAdmin = await service.createApiToken(admin, {
      name: "staging-admin",
      role: "TENANT_ADMIN",
      environments: ["staging"],
    });
    const caller = (await service.authenticate(scopedAdmin.token))!;
    // Its audit log holds its environments' events (and token events), not production's.
    const seen = await service.auditEvents(caller, { limit: 1000, offset: 0 });
    expect(seen.some((e) => e.environment === "staging")).toBe(true);
    expect(seen.some((e) => e.environment === null)).toBe(true);
    expect(seen.every((e) => e.environment !== "production")).toBe(true);
    expect(
      (await errorOf(service.createApiToken(caller, { name: "wide", role: "RUNNER" })))?.code,
    ).toBe("FORBIDDEN");
  });

  it("compares without values and lets a USER promote staging to production", async () => {
    await service.setSecret(admin, "SAME", "x", "staging");
    await service.setSecret(admin, "SAME", "x");
    await service.setSecret(admin, "DIFF", "new", "staging");
    await service.setSecret(admin, "DIFF", "old");
    await service.setSecret(admin, "ONLY_STAGING", { a: 1 }, "staging");
    await service.setSecret(admin, "ONLY_PROD", "p");
    const user = seeded.callers.USER;
    const reader = seeded.callers.READ_ONLY_USER;
    const comparison = await service.compareEnvironments(reader, "staging", "production");
    expect(comparison).toEqual({
      from: "staging",
      to: "production",
      equal: false,
      secrets: [
        { name: "DIFF", status: "DIFFERENT" },
        { name: "ONLY_PROD", status: "MISSING_FROM" },
        { name: "ONLY_STAGING", status: "MISSING_TO" },
        { name: "SAME", status: "SAME" },
      ],
    });
    const text = JSON.stringify(comparison);
    for (const value of ['"x"', "new", "old", '"p"']) expect(text).not.toContain(value);
    expect(text).not.toMatch(/digest/i);

    const skipped = await service.copySecrets(user, { from: "staging", to: "production" });
    expect(skipped.skipped).toEqual(["DIFF", "SAME"]);
    expect(skipped.copied.map((c) => c.name)).toEqual(["ONLY_STAGING"]);
    const copied = await service.copySecrets(user, {
      from: "staging",
      to: "production",
      names: ["DIFF"],
      overwrite: true,
    });
    expect(copied.copied).toEqual([{ name: "DIFF", version: 2, unchanged: false }]);
    expect(JSON.stringify(copied)).not.toContain("new");
    expect(await service.secretValue(admin, "DIFF")).toBe("new");
    expect(await service.secretValue(admin, "ONLY_STAGING")).toEqual({ a: 1 });
    const after = await service.compareEnvironments(admin, "staging", "production");
    expect(after.secrets.filter((s) => s.status !== "SAME")).toEqual([
      { name: "ONLY_PROD", status: "MISSING_FROM" },
    ]);
    const fromEvents = await service.auditEvents(admin, {
      limit: 10,
      offset: 0,
      environment: "staging",
      action: "COPY_SECRETS",
    });
    expect(fromEvents.length).toBe(2);
    // Where the copies went, in a field of its own: not a token's id.
    for (const event of fromEvents) {
      expect(event).toMatchObject({ copiedTo: "production", tokenId: null, tokenName: null });
    }
    // A start-up variable is refused to a non-admin, as setSecret refuses it.
    await service.setSecret(admin, "NODE_OPTIONS", "--x", "staging");
    expect(
      (
        await errorOf(
          service.copySecrets(user, { from: "staging", to: "production", names: ["NODE_OPTIONS"] }),
        )
      )?.code,
    ).toBe("FORBIDDEN");
  });

  it("deletes only with force while it holds secrets, never the default or the last", async () => {
    await service.setSecret(admin, "K", "v", "staging");
    expect((await errorOf(service.deleteEnvironment(admin, "staging")))?.code).toBe(
      "BAD_USER_INPUT",
    );
    expect((await errorOf(service.deleteEnvironment(seeded.callers.USER, "staging")))?.code).toBe(
      "FORBIDDEN",
    );
    expect((await errorOf(service.deleteEnvironment(admin, "production")))?.code).toBe(
      "BAD_USER_INPUT",
    );
    await service.deleteEnvironment(admin, "staging", true);
    expect((await service.environments(admin)).map((e) => e.name)).toEqual(["production"]);
    await service.createEnvironment(admin, "dev");
    const made = await service.setDefaultEnvironment(admin, "dev");
    expect(made.isDefault).toBe(true);
    await service.setSecret(admin, "IN_DEV", 1);
    expect(await service.secretNames(admin, "dev")).toEqual(["IN_DEV"]);
  });

  it("audits creating, deleting and choosing the default, and their refusals", async () => {
    const user = seeded.callers.USER;
    const adminId = admin.tokenId;
    const eventsOf = async (
      action: "CREATE_ENVIRONMENT" | "DELETE_ENVIRONMENT" | "SET_DEFAULT_ENVIRONMENT",
    ) =>
      (await service.auditEvents(admin, { limit: 50, offset: 0, action })).map((e) => ({
        outcome: e.outcome,
        actor: e.actor,
        actorTokenId: e.actorTokenId,
        environment: e.environment,
        secretName: e.secretName,
        secretNames: e.secretNames,
        secretNameCount: e.secretNameCount,
      }));
    const none = { secretName: null, secretNames: null, secretNameCount: null };

    expect((await errorOf(service.createEnvironment(user, "preview")))?.code).toBe("FORBIDDEN");
    await service.createEnvironment(admin, "preview");
    expect(await eventsOf("CREATE_ENVIRONMENT")).toEqual([
      {
        outcome: "SUCCESS",
        actor: "admin",
        actorTokenId: adminId,
        environment: "preview",
        ...none,
      },
      // Refused before it existed: named, with no environment id.
      {
        outcome: "DENIED",
        actor: user.tokenName,
        actorTokenId: user.tokenId,
        environment: "preview",
        ...none,
      },
      // The beforeEach's staging.
      {
        outcome: "SUCCESS",
        actor: "admin",
        actorTokenId: adminId,
        environment: "staging",
        ...none,
      },
    ]);

    expect((await errorOf(service.setDefaultEnvironment(user, "preview")))?.code).toBe("FORBIDDEN");
    expect((await errorOf(service.setDefaultEnvironment(admin, "nowhere")))?.code).toBe(
      "BAD_USER_INPUT",
    );
    await service.setDefaultEnvironment(admin, "preview");
    await service.setDefaultEnvironment(admin, "production");
    expect(await eventsOf("SET_DEFAULT_ENVIRONMENT")).toEqual([
      {
        outcome: "SUCCESS",
        actor: "admin",
        actorTokenId: adminId,
        environment: "production",
        ...none,
      },
      {
        outcome: "SUCCESS",
        actor: "admin",
        actorTokenId: adminId,
        environment: "preview",
        ...none,
      },
      // The name asked for, though the tenant has no such environment.
      {
        outcome: "NOT_FOUND",
        actor: "admin",
        actorTokenId: adminId,
        environment: "nowhere",
        ...none,
      },
      {
        outcome: "DENIED",
        actor: user.tokenName,
        actorTokenId: user.tokenId,
        environment: "preview",
        ...none,
      },
    ]);

    await service.setSecret(admin, "A", "1", "staging");
    await service.setSecret(admin, "B", "2", "staging");
    await service.setSecret(admin, "C", "3", "preview");
    expect((await errorOf(service.deleteEnvironment(user, "staging", true)))?.code).toBe(
      "FORBIDDEN",
    );
    expect((await errorOf(service.deleteEnvironment(admin, "nowhere", true)))?.code).toBe(
      "BAD_USER_INPUT",
    );
    await service.deleteEnvironment(admin, "staging", true);
    await service.deleteEnvironment(admin, "preview", true);
    await service.createEnvironment(admin, "empty");
    await service.deleteEnvironment(admin, "empty");
    const deleted = await eventsOf("DELETE_ENVIRONMENT");
    // Deleted environments are still named.
    expect(deleted).toEqual([
      { outcome: "SUCCESS", actor: "admin", actorTokenId: adminId, environment: "empty", ...none },
      {
        outcome: "SUCCESS",
        actor: "admin",
        actorTokenId: adminId,
        environment: "preview",
        ...none,
        secretName: "C",
      },
      {
        outcome: "SUCCESS",
        actor: "admin",
        actorTokenId: adminId,
        environment: "staging",
        ...none,
        secretNames: ["A", "B"],
        secretNameCount: 2,
      },
      {
        outcome: "NOT_FOUND",
        actor: "admin",
        actorTokenId: adminId,
        environment: "nowhere",
        ...none,
      },
      {
        outcome: "DENIED",
        actor: user.tokenName,
        actorTokenId: user.tokenId,
        environment: "staging",
        ...none,
      },
    ]);
  });

  it("audits the hush-server command's environment changes as hush-server, with no token id", async () => {
    await service.environmentsOffline(seeded.tenant.name, { action: "create", name: "preview" });
    const [event] = await service.auditEvents(admin, {
      limit: 1,
      offset: 0,
      action: "CREATE_ENVIRONMENT",
    });
    expect(event).toMatchObject({
      outcome: "SUCCESS",
      actor: "hush-server",
      actorTokenId: null,
      environment: "preview",
    });
  });

  it("keeps naming a deleted environment's events; a new one of that name starts empty", async () => {
    await service.setSecret(admin, "DB", "staging-db", "staging");
    await service.secretValue(admin, "DB", undefined, "staging");
    await service.deleteEnvironment(admin, "staging", true);
    const page = { limit: 50, offset: 0 } as const;
    const inStaging = (events: Awaited<ReturnType<HushService["auditEvents"]>>) =>
      events
        .filter((e) => e.environment === "staging")
        .map((e) => [e.action, e.secretName ?? e.secretNames]);
    const before = inStaging(await service.auditEvents(admin, page));
    expect(before).toEqual([
      ["DELETE_ENVIRONMENT", "DB"],
      ["READ_SECRET_VALUE", "DB"],
      ["SET_SECRET", "DB"],
      ["CREATE_ENVIRONMENT", null],
    ]);

    await service.createEnvironment(admin, "staging");
    expect(await service.secretNames(admin, "staging")).toEqual([]);
    expect(await errorOf(service.secretValue(admin, "DB", undefined, "staging"))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect((await service.environments(admin)).find((e) => e.name === "staging")).toMatchObject({
      secretCount: 0,
    });
    // The old events still say staging; filtering by staging now means the new one only.
    const after = await service.auditEvents(admin, page);
    expect(inStaging(after).slice(2)).toEqual(before);
    const onlyNew = await service.auditEvents(admin, { ...page, environment: "staging" });
    expect(onlyNew.map((e) => [e.action, e.outcome])).toEqual([
      ["READ_SECRET_VALUE", "NOT_FOUND"],
      ["CREATE_ENVIRONMENT", "SUCCESS"],
    ]);
  });
});
