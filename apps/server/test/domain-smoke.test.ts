import { afterEach, beforeEach, expect, it } from "vitest";
import { describeBackends, type OpenedBackend } from "./support/backends.js";
import { seedTenant } from "./support/seed.js";

describeBackends("smoke", (backend) => {
  let b: OpenedBackend;
  beforeEach(async () => {
    b = await backend.open();
  });
  afterEach(async () => {
    await b.cleanup();
  });
  it("sets and reads", async () => {
    const { callers } = await seedTenant(b.service);
    const admin = callers.TENANT_ADMIN;
    expect(await b.service.setSecret(admin, "A", { x: 1 })).toEqual({ version: 1 });
    expect(await b.service.setSecret(admin, "A", "two")).toEqual({ version: 2 });
    expect(await b.service.secretValue(admin, "A")).toBe("two");
    const all = await Promise.all(
      Array.from({ length: 200 }, (_, i) => b.service.setSecret(admin, "C", i)),
    );
    expect(all.map((r) => r.version).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
  });
});
