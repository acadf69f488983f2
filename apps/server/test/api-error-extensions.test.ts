import { type ErrorExtensions, LIMITS, permissions } from "@hush/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, type ApiResponse, openApi } from "./api-support.js";
import { testBackends } from "./support/backends.js";

// What each error carries in `extensions` (ErrorExtensionsByCode of @hush/schema), through the
// real route. The fields are the server's, whatever the database: SQLite is enough.
const sqlite = testBackends().find((b) => b.name === "sqlite")!;
const UNKNOWN_TOKEN = "hush_CANARYnotAtokenCANARYnotAtokenCANARYnotAtoken1";

const first = (response: ApiResponse) => response.body.errors?.[0];

describe("error extensions", () => {
  let api: ApiFixture;
  beforeAll(async () => {
    api = await openApi(sqlite);
    await api.service.setSecret(api.acme.callers.TENANT_ADMIN, "A", "a");
  });
  afterAll(async () => {
    await api?.close();
  });

  it("FORBIDDEN names the tenant, the token's role and the roles that may", async () => {
    const denied = await api.gql('{ secretValue(name: "A") }', { token: api.acme.tokens.USER });
    const expected: ErrorExtensions<"FORBIDDEN"> = {
      code: "FORBIDDEN",
      tenant: "acme",
      role: "USER",
      requiredRoles: permissions.readValues.roles,
      permission: "readValues",
    };
    expect(first(denied)?.extensions).toEqual(expected);
    // The message keeps its words.
    expect(first(denied)?.message).toBe(
      "Reading secret values needs the TENANT_ADMIN or RUNNER role; this token has the USER role. Ask a tenant admin for a token with the TENANT_ADMIN or RUNNER role.",
    );
  });

  it("FORBIDDEN on a start-up variable names the secret too", async () => {
    const denied = await api.gql(
      'mutation { setSecret(input: {name: "NODE_OPTIONS", value: "x"}) { version } }',
      { token: api.acme.tokens.USER },
    );
    expect(first(denied)?.extensions).toEqual({
      code: "FORBIDDEN",
      tenant: "acme",
      role: "USER",
      requiredRoles: permissions.writeStartupVariables.roles,
      permission: "writeStartupVariables",
      name: "NODE_OPTIONS",
    });
  });

  it("NOT_FOUND names the tenant and the secret", async () => {
    const missing = await api.gql('{ secretValue(name: "GONE") }', {
      token: api.globex.tokens.RUNNER,
    });
    expect(first(missing)?.extensions).toEqual({
      code: "NOT_FOUND",
      tenant: "globex",
      name: "GONE",
    });
  });

  it("BAD_USER_INPUT over a limit names the argument, the limit and what was asked", async () => {
    const page = await api.gql("{ secret(limit: 5000) { name } }", {
      token: api.acme.tokens.USER,
    });
    const expected: ErrorExtensions<"BAD_USER_INPUT"> = {
      code: "BAD_USER_INPUT",
      argument: "limit",
      limit: "PAGE_SIZE",
      max: LIMITS.maxPageSize,
      requested: 5000,
    };
    expect(first(page)?.extensions).toEqual(expected);
    expect(first(page)?.message).toBe(
      `limit must be between 1 and ${LIMITS.maxPageSize}; page through more with offset.`,
    );

    const big = await api.gql(
      'mutation($v: JSON!) { setSecret(input: {name: "BIG", value: $v}) { version } }',
      {
        token: api.acme.tokens.USER,
        variables: { v: "x".repeat(LIMITS.maxValueBytes) },
      },
    );
    expect(first(big)?.extensions).toEqual({
      code: "BAD_USER_INPUT",
      argument: "value",
      limit: "VALUE_BYTES",
      max: LIMITS.maxValueBytes,
      requested: LIMITS.maxValueBytes + 2,
    });
    expect(big.raw).not.toContain("x".repeat(100));
  });

  it("UNAUTHENTICATED says why: no token, a malformed header, or a rejected token", async () => {
    const none = await api.gql("{ secretNames }");
    expect(first(none)?.extensions).toEqual({ code: "UNAUTHENTICATED", reason: "missing" });
    const rejected = await api.gql("{ secretNames }", { token: UNKNOWN_TOKEN });
    expect(first(rejected)?.extensions).toEqual({ code: "UNAUTHENTICATED", reason: "rejected" });
    expect(first(rejected)?.message).toBe(
      "The API token is unknown, expired or revoked. Create one with `hush-server token create --role RUNNER --name NAME` on the server, or ask a tenant admin to create one with the createApiToken mutation.",
    );
    const malformed = await api.gql("{ secretNames }", { authorization: "Basic abc" });
    expect(malformed.status).toBe(401);
    expect(first(malformed)?.extensions).toEqual({ code: "UNAUTHENTICATED", reason: "malformed" });
    for (const response of [none, rejected, malformed]) {
      expect(response.raw).not.toContain(UNKNOWN_TOKEN);
    }
  });
});

describe("RATE_LIMITED extensions", () => {
  it("say when to retry and which limit refused", async () => {
    const api = await openApi(sqlite, {
      app: { rateLimits: { perToken: 1, perAddress: 0, authFailures: 0, windowSeconds: 60 } },
    });
    try {
      const token = api.acme.tokens.USER;
      expect((await api.gql("{ secretNames }", { token })).status).toBe(200);
      const refused = await api.gql("{ secretNames }", { token });
      expect(refused.status).toBe(429);
      const extensions = first(refused)?.extensions as ErrorExtensions<"RATE_LIMITED">;
      expect(extensions).toMatchObject({ code: "RATE_LIMITED", scope: "token" });
      expect(extensions.retryAfterSeconds).toBe(Number(refused.headers["retry-after"]));
      expect(first(refused)?.message).toBe(
        `Too many requests with this token; retry in ${extensions.retryAfterSeconds} s.`,
      );
    } finally {
      await api.close();
    }
  });
});
