import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it, vi } from "vitest";
import { openService } from "../src/index.js";
import { describeBackends } from "./support/backends.js";
import { clockedServices } from "./support/clocked-service.js";
import { seedTenant } from "./support/seed.js";

const DAY_MS = 86_400_000;

describeBackends("audit retention", (backend) => {
  // A clock the tests move forward instead of waiting.
  const { open, advance } = clockedServices(backend, { auditPruneIntervalMs: 10 });

  it("deletes events older than auditMaxAgeDays in the background, in every tenant", async () => {
    const service = await open({ auditMaxAgeDays: 30, auditMaxEventsPerTenant: 0 });
    const acme = await seedTenant(service, "acme");
    const globex = await seedTenant(service, "globex");
    const { USER: user, RUNNER: runner, TENANT_ADMIN: admin } = acme.callers;
    await service.setSecret(user, "OLD", "v");
    await service.secretValue(runner, "OLD");
    advance(20 * DAY_MS);
    await service.setSecret(user, "NEWER", "v");
    await service.secretValue(runner, "NEWER");
    advance(15 * DAY_MS);

    const names = async (caller = admin) =>
      (await service.auditEvents(caller, { limit: 100, offset: 0 })).map(
        (e) => `${e.action} ${e.secretName}`,
      );
    await vi.waitFor(
      async () => expect(await names()).toEqual(["READ_SECRET_VALUE NEWER", "SET_SECRET NEWER"]),
      { timeout: 10_000 },
    );
    // The other tenant's events, all 35 days old, are gone too.
    await vi.waitFor(async () => expect(await names(globex.callers.TENANT_ADMIN)).toEqual([]), {
      timeout: 10_000,
    });
    // Reads and writes go on as before.
    expect(await service.secretValue(runner, "NEWER")).toBe("v");
  });

  it("keeps auditMaxEventsPerTenant events per tenant, deleting from the busiest token", async () => {
    const service = await open({ auditMaxAgeDays: 0, auditMaxEventsPerTenant: 5 });
    const acme = await seedTenant(service, "acme");
    const globex = await seedTenant(service, "globex");
    const { USER: user, TENANT_ADMIN: admin } = acme.callers;
    for (let version = 1; version <= 8; version++) {
      advance(1000);
      await service.setSecret(user, "ROTATED", `v${version}`);
    }
    const kept = async () =>
      (await service.auditEvents(admin, { limit: 100, offset: 0 })).map(
        (e) => `${e.actor} ${e.action} ${e.version ?? "-"}`,
      );
    // 12 events: the user's 8 writes, the admin's 3 token creations and the one `hush-server`
    // made the admin's token with. The user is cut to two, the admin to two: each loses its
    // oldest, and nobody holding less than that loses anything.
    await vi.waitFor(
      async () =>
        expect(await kept()).toEqual([
          "user SET_SECRET 8",
          "user SET_SECRET 7",
          "admin CREATE_API_TOKEN -",
          "admin CREATE_API_TOKEN -",
          "hush-server CREATE_API_TOKEN -",
        ]),
      { timeout: 10_000 },
    );
    // The other tenant's four token events are within its own limit.
    const globexEvents = await service.auditEvents(globex.callers.TENANT_ADMIN, {
      limit: 100,
      offset: 0,
    });
    expect(globexEvents.map((e) => e.action)).toEqual(Array(4).fill("CREATE_API_TOKEN"));
  });

  it("keeps every event when both limits are 0", async () => {
    const service = await open({ auditMaxAgeDays: 0, auditMaxEventsPerTenant: 0 });
    const acme = await seedTenant(service, "acme");
    advance(10_000 * DAY_MS);
    await service.setSecret(acme.callers.USER, "LATER", "v");
    // Give a sweep many chances to run: nothing it could run deletes anything.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const events = await service.auditEvents(acme.callers.TENANT_ADMIN, { limit: 100, offset: 0 });
    expect(events).toHaveLength(5);
  });

  it("refuses a negative retention with a message naming the option", async () => {
    const options = { dataDir: join(tmpdir(), "hush-never-created"), env: {} };
    await expect(openService({ ...options, auditMaxAgeDays: -1 })).rejects.toThrow(
      "auditMaxAgeDays must be a whole number, 0 or more.",
    );
  });
});
