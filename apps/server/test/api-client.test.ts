import type { AddressInfo } from "node:net";
import { ApiError, createClient, type HushClient } from "@hush/graphql";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ApiFixture, openApi } from "./api-support.js";
import { describeBackends } from "./support/backends.js";

// The typed client of @hush/graphql against the real server over real HTTP: every one of its
// operations must validate and run here.
describeBackends("api with the @hush/graphql client", (backend) => {
  let api: ApiFixture;
  let endpoint: string;
  const client = (role: keyof ApiFixture["acme"]["tokens"]): HushClient =>
    createClient({ endpoint, apiKey: api.acme.tokens[role], retries: 0 });

  beforeAll(async () => {
    api = await openApi(backend);
    await api.app.listen({ host: "127.0.0.1", port: 0 });
    endpoint = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await api?.close();
  });

  it("runs every operation of the client", async () => {
    const admin = client("TENANT_ADMIN");
    expect(await admin.setSecret("DB", { user: "app", password: "pw" })).toEqual({
      success: true,
      version: 1,
    });
    expect(await admin.setSecret("DB", { user: "app", password: "pw2" })).toMatchObject({
      version: 2,
    });
    await admin.setSecret("API_KEY", "abc");
    const runner = client("RUNNER");
    expect(await runner.secretValue("DB")).toEqual({ user: "app", password: "pw2" });
    expect(await runner.secretValues(["DB", "API_KEY"])).toEqual({
      DB: { user: "app", password: "pw2" },
      API_KEY: "abc",
    });
    expect(await runner.secretNames()).toEqual(["API_KEY", "DB"]);
    const listed = await runner.secrets({ orderBy: [{ name: "desc" }], limit: 1 });
    expect(listed.map((secret) => secret.name)).toEqual(["DB"]);
    expect((await runner.secretVersions("DB")).map((v) => v.version)).toEqual([2, 1]);
    expect(await admin.rollbackSecret("DB", 1)).toEqual({ success: true, version: 3 });
    expect(await runner.secretValue("DB")).toEqual({ user: "app", password: "pw" });
    expect(await admin.deleteSecret("API_KEY")).toEqual({ success: true });

    const created = await admin.createApiToken({ name: "ci", role: "READ_ONLY_USER" });
    expect((await admin.apiTokens()).map((token) => token.name)).toContain("ci");
    const readOnly = createClient({ endpoint, apiKey: created.token, retries: 0 });
    expect((await readOnly.me()).role).toBe("READ_ONLY_USER");
    expect(await admin.revokeApiToken(created.id)).toEqual({ success: true });
    const events = await admin.auditEvents({ name: "DB", limit: 3 });
    expect(events[0]).toMatchObject({ action: "READ_SECRET_VALUE", actor: "runner" });
    expect(await admin.me()).toEqual({
      tenant: { id: api.acme.tenant.id, name: "acme" },
      role: "TENANT_ADMIN",
      tokenId: expect.any(String),
      tokenName: "admin",
      environment: "production",
      environments: null,
    });
  });

  it("gets the server's error codes as ApiErrors", async () => {
    const missing = await client("RUNNER")
      .secretValue("NOPE")
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ApiError);
    expect((missing as ApiError).code).toBe("NOT_FOUND");
    expect((missing as ApiError).message).toContain(
      'No value found for the requested key: the secret NOPE was not found in tenant "acme".',
    );
    const forbidden = await client("USER")
      .secretValue("DB")
      .catch((error: unknown) => error);
    expect((forbidden as ApiError).code).toBe("FORBIDDEN");
    const anonymous = await createClient({ endpoint, retries: 0 })
      .secretNames()
      .catch((error: unknown) => error);
    expect((anonymous as ApiError).code).toBe("UNAUTHENTICATED");
  });
});
