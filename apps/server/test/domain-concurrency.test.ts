import { afterEach, beforeEach, expect, it } from "vitest";
import type { Caller, HushService } from "../src/index.js";
import { describeBackends, type OpenedBackend } from "./support/backends.js";
import { seedTenant } from "./support/seed.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describeBackends("concurrent writes", (backend) => {
  let opened: OpenedBackend;
  let service: HushService;
  let admin: Caller;

  beforeEach(async () => {
    opened = await backend.open();
    service = opened.service;
    admin = (await seedTenant(service)).callers.TENANT_ADMIN;
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  it("numbers 200 concurrent sets of one name 1..200, no gaps, no duplicates", async () => {
    const results = await Promise.all(range(200).map((i) => service.setSecret(admin, "HOT", i)));
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(range(200));
    const versions = await service.secretVersions(admin, "HOT");
    expect(versions.map((v) => v.version)).toEqual(range(200).reverse());
    // The value is the one written by the set that got the last version.
    const last = results.findIndex((r) => r.version === 200) + 1;
    expect(await service.secretValue(admin, "HOT")).toBe(last);
    const audited = await service.auditEvents(admin, { limit: 1000, offset: 0, name: "HOT" });
    expect(audited.filter((e) => e.action === "SET_SECRET")).toHaveLength(200);
  });

  // Replicas share PostgreSQL; SQLite has one server process (a second one in this very process
  // would block the event loop in SQLite's busy handler while the first holds the write lock).
  it.runIf(backend.name === "postgres")("keeps numbering right across replicas", async () => {
    const replica = await opened.reopen();
    const writes = range(100).map((i) => (i % 2 ? service : replica).setSecret(admin, "SHARED", i));
    const results = await Promise.all(writes);
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(range(100));
  });

  it("lets one failing write fail alone while the others in its batch commit", async () => {
    const writes = range(50).map((i) =>
      i === 25
        ? service.setSecret(admin, "NEVER", { bad: 1n }) // not JSON: refused before queueing
        : i === 26
          ? service.deleteSecret(admin, "NOT_THERE") // NOT_FOUND inside the batch
          : service.setSecret(admin, `MANY_${i}`, i),
    );
    const settled = await Promise.allSettled(writes);
    expect(settled.filter((s) => s.status === "rejected")).toHaveLength(2);
    expect(await service.secretNames(admin)).toHaveLength(48);
  });

  it("mixes reads and writes without losing either", async () => {
    await service.setSecret(admin, "READ_ME", "steady");
    const ops = range(100).map((i) =>
      i % 2 ? service.secretValue(admin, "READ_ME") : service.setSecret(admin, `W${i}`, i),
    );
    const results = await Promise.all(ops);
    expect(results.filter((r) => r === "steady")).toHaveLength(50);
    expect(await service.secretNames(admin)).toHaveLength(51);
  });

  it("finishes accepted writes before close resolves", async () => {
    const writes = range(30).map((i) => service.setSecret(admin, `C${i}`, i));
    await service.close();
    await Promise.all(writes);
    const again = await opened.reopen();
    expect(await again.secretNames(admin)).toHaveLength(30);
    await expect(service.setSecret(admin, "LATE", 1)).rejects.toMatchObject({
      code: "SERVICE_CLOSED",
    });
  });
});
