import { rejection } from "@hush/test-support";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { HushService } from "../src/index.js";
import { describeBackends, type OpenedBackend } from "./support/backends.js";
import { type SeededTenant, seedTenant } from "./support/seed.js";

describeBackends("tokens without an admin token", (backend) => {
  let opened: OpenedBackend;
  let service: HushService;
  let acme: SeededTenant;

  beforeEach(async () => {
    opened = await backend.open();
    service = opened.service;
    acme = await seedTenant(service, "acme");
    await seedTenant(service, "globex");
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  it("lists every tenant's tokens, or one tenant's, without the tokens themselves", async () => {
    const all = await service.listTokensOffline();
    expect(all.map((t) => `${t.tenantName}/${t.name}`)).toEqual([
      "acme/admin",
      "acme/user",
      "acme/runner",
      "acme/read_only_user",
      "globex/admin",
      "globex/user",
      "globex/runner",
      "globex/read_only_user",
    ]);
    expect(JSON.stringify(all)).not.toContain("hush_");
    const one = await service.listTokensOffline("globex");
    expect(new Set(one.map((t) => t.tenantName))).toEqual(new Set(["globex"]));
    expect((await rejection(service.listTokensOffline("nope"))).code).toBe("NOT_FOUND");
  });

  it("revokes a token by id at once, audited, and keeps the first revocation time", async () => {
    const runner = acme.callers.RUNNER;
    const revoked = await service.revokeTokenOffline(runner.tokenId);
    expect(revoked).toMatchObject({ tenantName: "acme", name: "runner", wasRevoked: false });
    expect(await service.authenticate(acme.tokens.RUNNER)).toBeUndefined();
    const again = await service.revokeTokenOffline(runner.tokenId);
    expect(again.wasRevoked).toBe(true);
    expect(again.revokedAt).toEqual(revoked.revokedAt);

    const events = await service.auditEvents(acme.callers.TENANT_ADMIN, { limit: 10, offset: 0 });
    expect(events.filter((e) => e.action === "REVOKE_API_TOKEN")).toHaveLength(2);
    expect(events[0]).toMatchObject({ actor: "hush-server", outcome: "SUCCESS" });
    expect((await rejection(service.revokeTokenOffline("no-such-id"))).code).toBe("NOT_FOUND");
  });
});
