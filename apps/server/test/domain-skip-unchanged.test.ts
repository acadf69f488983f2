import { afterEach, beforeEach, expect, it } from "vitest";
import type { Caller, HushService } from "../src/index.js";
import { describeBackends, type OpenedBackend } from "./support/backends.js";
import { seedTenant } from "./support/seed.js";

describeBackends("setSecrets with skipUnchanged", (backend) => {
  let opened: OpenedBackend;
  let service: HushService;
  let callers: Awaited<ReturnType<typeof seedTenant>>["callers"];
  let admin: Caller;

  beforeEach(async () => {
    opened = await backend.open();
    service = opened.service;
    callers = (await seedTenant(service)).callers;
    admin = callers.TENANT_ADMIN;
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  it("leaves a secret whose value is the one given as it is", async () => {
    await service.setSecrets(admin, [
      { name: "A", value: { user: "app" } },
      { name: "B", value: "two" },
    ]);
    await service.deleteSecret(admin, "B");
    const written = await service.setSecrets(
      admin,
      [
        { name: "A", value: { user: "app" } },
        { name: "B", value: "two" },
        { name: "C", value: "new" },
      ],
      { skipUnchanged: true },
    );
    expect(written).toEqual([
      { name: "A", version: 1, unchanged: true },
      { name: "B", version: 3, unchanged: false },
      { name: "C", version: 1, unchanged: false },
    ]);
    const changed = await service.setSecrets(admin, [{ name: "A", value: { user: "db" } }], {
      skipUnchanged: true,
    });
    expect(changed).toEqual([{ name: "A", version: 2, unchanged: false }]);
    expect(await service.setSecrets(admin, [{ name: "A", value: { user: "db" } }], {})).toEqual([
      { name: "A", version: 3, unchanged: false },
    ]);
  });

  it("writes every value for a role that may not read values (no guessing oracle)", async () => {
    await service.setSecrets(admin, [{ name: "A", value: "guess-me" }]);
    const written = await service.setSecrets(callers.USER, [{ name: "A", value: "guess-me" }], {
      skipUnchanged: true,
    });
    expect(written).toEqual([{ name: "A", version: 2, unchanged: false }]);
  });
});
