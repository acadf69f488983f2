import { tmpdir } from "node:os";
import { join } from "node:path";
import { rejection } from "@hush/test-support";
import { afterEach, expect, it } from "vitest";
import { openService } from "../src/index.js";
import { describeBackends, type OpenedBackend } from "./support/backends.js";
import { seedTenant } from "./support/seed.js";

describeBackends("version metadata retention", (backend) => {
  let opened: OpenedBackend | undefined;

  afterEach(async () => {
    await opened?.cleanup();
    opened = undefined;
  });

  it("keeps the metadata of the last maxVersionRecords versions of a secret", async () => {
    opened = await backend.open({ maxVersions: 2, maxVersionRecords: 3 });
    const service = opened.service;
    const { USER: user } = (await seedTenant(service)).callers;
    for (let i = 1; i <= 5; i++) await service.setSecret(user, "ROTATED", `v${i}`);
    await service.deleteSecret(user, "ROTATED");
    await service.setSecret(user, "OTHER", "kept");

    const versions = await service.secretVersions(user, "ROTATED");
    expect(versions.map((v) => [v.version, v.hasValue, v.deleted])).toEqual([
      [6, false, true],
      [5, true, false],
      [4, true, false],
    ]);
    const gone = await rejection(service.rollbackSecret(user, "ROTATED", 1));
    expect(gone).toMatchObject({ code: "NOT_FOUND" });
    expect(gone.message).toContain("Version 1 of the secret ROTATED was not found");
    expect(await service.rollbackSecret(user, "ROTATED", 4)).toEqual({ version: 7 });
    expect((await service.secretVersions(user, "OTHER")).map((v) => v.version)).toEqual([1]);
  });

  it("refuses fewer version records than values kept, before touching any data", async () => {
    const options = { dataDir: join(tmpdir(), "hush-never-created"), env: {} };
    await expect(openService({ ...options, maxVersions: 5, maxVersionRecords: 2 })).rejects.toThrow(
      "maxVersionRecords (2) must be at least maxVersions (5)",
    );
  });
});
