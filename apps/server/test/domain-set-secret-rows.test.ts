import { describe, expect, it } from "vitest";
import { describeBackends } from "./support/backends.js";
import { clockedServices } from "./support/clocked-service.js";
import { seedTenant } from "./support/seed.js";

// setSecret writes by a plan made outside the transaction (see WritePlan); these pin down the
// rows it leaves, which must be those of the write inside the transaction it replaced.
describeBackends("setSecret's rows", (backend) => {
  const clock = clockedServices(backend, { maxVersions: 2, maxVersionRecords: 3 });

  describe("created and updated", () => {
    it("keeps created across sets, and starts it again when a deleted name is set again", async () => {
      const service = await clock.open();
      const admin = (await seedTenant(service)).callers.TENANT_ADMIN;
      const meta = async () => {
        const [row] = await service.listSecrets(admin, {
          where: { name: { _eq: "LIFE" } },
          orderBy: [],
        });
        return row && { created: row.created.getTime(), updated: row.updated.getTime() };
      };
      const first = clock.now();
      expect(await service.setSecret(admin, "LIFE", 1)).toEqual({ version: 1 });
      clock.advance(1000);
      expect(await service.setSecret(admin, "LIFE", 2)).toEqual({ version: 2 });
      expect(await meta()).toEqual({ created: first, updated: first + 1000 });
      clock.advance(1000);
      await service.deleteSecret(admin, "LIFE");
      clock.advance(1000);
      expect(await service.setSecret(admin, "LIFE", 3)).toEqual({ version: 4 });
      expect(await meta()).toEqual({ created: first + 3000, updated: first + 3000 });
      expect(await service.secretValue(admin, "LIFE")).toBe(3);
    });
  });

  describe("history", () => {
    it("keeps maxVersions values and maxVersionRecords versions, tombstones counted as records only", async () => {
      const service = await clock.open();
      const admin = (await seedTenant(service)).callers.TENANT_ADMIN;
      for (const value of [1, 2, 3]) await service.setSecret(admin, "KEPT", value);
      await service.deleteSecret(admin, "KEPT");
      await service.setSecret(admin, "KEPT", 5);
      const versions = await service.secretVersions(admin, "KEPT");
      expect(versions.map((v) => [v.version, v.hasValue, v.deleted])).toEqual([
        [5, true, false],
        [4, false, true],
        [3, true, false],
      ]);
      const events = await service.auditEvents(admin, { limit: 100, offset: 0, name: "KEPT" });
      expect(
        events.filter((e) => e.action === "SET_SECRET").map((e) => [e.outcome, e.version]),
      ).toEqual([
        ["SUCCESS", 5],
        ["SUCCESS", 3],
        ["SUCCESS", 2],
        ["SUCCESS", 1],
      ]);
    });
  });
});
