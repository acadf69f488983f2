import type { InjectOptions } from "fastify";
import { getIntrospectionQuery } from "graphql";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ServerMetrics } from "../src/metrics/server-metrics.js";
import { type ApiFixture, codes, fieldOf, openApi } from "./api-support.js";
import { describeBackends } from "./support/backends.js";

const VALUE = "CANARY-seams-value";

describeBackends("API seams", (backend) => {
  let api: ApiFixture;

  beforeEach(async () => {
    api = await openApi(backend, {
      app: { rateLimits: { perToken: 0, perAddress: 0, authFailures: 2 } },
    });
  });
  afterEach(async () => {
    await api.close();
  });

  describe("tokens and audit actors", () => {
    it("refuses to revoke the tenant's last admin token, saying how to hand over", async () => {
      const admin = api.acme.tokens.TENANT_ADMIN;
      const revoke = `mutation($id: ID!) { revokeApiToken(input: {id: $id}) { success } }`;
      const refused = await api.gql(revoke, {
        token: admin,
        variables: { id: api.acme.callers.TENANT_ADMIN.tokenId },
      });
      expect(codes(refused)).toEqual(["BAD_USER_INPUT"]);
      expect(refused.body.errors?.[0]?.message).toContain(
        "hush tokens create admin-2 --role TENANT_ADMIN",
      );
      expect(fieldOf(await api.gql("{ me { role } }", { token: admin }), "me")).toEqual({
        role: "TENANT_ADMIN",
      });
    });

    it("tells a RUNNER named like the admin apart by its token id", async () => {
      const admin = api.acme.tokens.TENANT_ADMIN;
      const create = `mutation($name: String!) { createApiToken(input: {name: $name, role: RUNNER}) { id token } }`;
      const spoof = await api.gql(create, { token: admin, variables: { name: "admin" } });
      expect(codes(spoof)).toEqual(["BAD_USER_INPUT"]);
      const bidi = await api.gql(create, { token: admin, variables: { name: "nimda\u202e" } });
      expect(codes(bidi)).toEqual(["BAD_USER_INPUT"]);

      const made = fieldOf<{ id: string; token: string }>(
        await api.gql(create, { token: admin, variables: { name: "ci" } }),
        "createApiToken",
      );
      await api.gql(`mutation { setSecret(input: {name: "K", value: "${VALUE}"}) { success } }`, {
        token: admin,
      });
      await api.gql(`{ secretValue(name: "K") }`, { token: made.token });
      const events = fieldOf<{ action: string; actor: string; actorTokenId: string | null }[]>(
        await api.gql("{ auditEvents(limit: 2) { action actor actorTokenId } }", { token: admin }),
        "auditEvents",
      );
      expect(events).toEqual([
        { action: "READ_SECRET_VALUE", actor: "ci", actorTokenId: made.id },
        {
          action: "SET_SECRET",
          actor: "admin",
          actorTokenId: api.acme.callers.TENANT_ADMIN.tokenId,
        },
      ]);
    });
  });

  describe("Cache-Control", () => {
    const requests = () => {
      const token = api.acme.tokens.RUNNER;
      const json = { "content-type": "application/json", authorization: `Bearer ${token}` };
      const read = JSON.stringify({ query: `{ secretValue(name: "K") }` });
      return {
        "POST ok": { method: "POST", url: "/graphql", headers: json, payload: read },
        "GET ok": {
          method: "GET",
          url: `/graphql?query=${encodeURIComponent(`{ secretValue(name: "K") }`)}`,
          headers: { authorization: `Bearer ${token}` },
        },
        "GET parse error": { method: "GET", url: "/graphql?query=%7B", headers: {} },
        "POST no query": { method: "POST", url: "/graphql", headers: json, payload: "{}" },
        "POST not json": {
          method: "POST",
          url: "/graphql",
          headers: { "content-type": "text/plain" },
          payload: "x",
        },
        "POST too large": {
          method: "POST",
          url: "/graphql",
          headers: json,
          payload: JSON.stringify({ query: "x".repeat(2 * 1024 * 1024) }),
        },
        "GET mutation": {
          method: "GET",
          url: `/graphql?query=${encodeURIComponent('mutation { deleteSecret(input: {name: "K"}) { success } }')}`,
          headers: {},
        },
        PUT: { method: "PUT", url: "/graphql", headers: {} },
        "malformed auth": {
          method: "POST",
          url: "/graphql",
          headers: { "content-type": "application/json", authorization: "Basic x" },
          payload: read,
        },
        "unknown path": { method: "GET", url: "/nothing", headers: {} },
        healthz: { method: "GET", url: "/healthz", headers: {} },
        readyz: { method: "GET", url: "/readyz", headers: {} },
      } as const;
    };

    it("is no-store on every GraphQL answer: results, errors, 4xx, GET and POST", async () => {
      await api.service.setSecret(api.acme.callers.TENANT_ADMIN, "K", VALUE);
      const statuses: Record<string, number> = {};
      for (const [label, request] of Object.entries(requests())) {
        const response = await api.app.inject(request as InjectOptions);
        statuses[label] = response.statusCode;
        expect(response.headers["cache-control"], label).toBe("no-store");
      }
      expect(statuses).toMatchObject({
        "POST ok": 200,
        "GET ok": 200,
        "POST not json": 415,
        "POST too large": 413,
        "GET mutation": 405,
        "malformed auth": 401,
        "unknown path": 404,
      });
    });

    it("is no-store on 429 answers too", async () => {
      const bad = "hush_CANARYnotAtokenCANARYnotAtokenCANARYnotAtoken1";
      let last = await api.gql("{ secretNames }", { token: bad });
      for (let i = 0; i < 3; i++) last = await api.gql("{ secretNames }", { token: bad });
      expect(last.status).toBe(429);
      expect(last.headers["cache-control"]).toBe("no-store");
    });
  });

  describe("metrics and introspection", () => {
    it("serves no /metrics on the API's port by default", async () => {
      const response = await api.app.inject({ method: "GET", url: "/metrics" });
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain("hush_operations_total");
    });

    it("answers introspection to any valid token, not to anonymous callers", async () => {
      const anonymous = await api.gql(getIntrospectionQuery());
      expect(codes(anonymous)).toEqual(["UNAUTHENTICATED"]);
      expect(anonymous.body.data ?? null).toBeNull();
      expect(anonymous.raw).not.toContain("SetSecretInput");
      const type = await api.gql(`{ __type(name: "SetSecretInput") { name } }`);
      expect(codes(type)).toEqual(["UNAUTHENTICATED"]);
      const fragment = await api.gql(
        `query { ...F } fragment F on Query { __schema { queryType { name } } }`,
      );
      expect(codes(fragment)).toEqual(["UNAUTHENTICATED"]);
      // __typename is not introspection of the schema.
      expect((await api.gql("{ __typename }")).body).toEqual({ data: { __typename: "Query" } });

      const runner = await api.gql(getIntrospectionQuery(), {
        token: api.acme.tokens.READ_ONLY_USER,
      });
      expect(runner.body.errors).toBeUndefined();
      const schema = runner.body.data?.__schema as { types: { name: string }[] };
      expect(schema.types.map((t) => t.name)).toContain("SetSecretInput");
    });
  });
});

describe("metrics on their own port", () => {
  it("needs no token there, and holds no name, value or token", async () => {
    const { testBackends } = await import("./support/backends.js");
    const metrics = new ServerMetrics();
    const api = await openApi(testBackends()[0]!, { service: { metrics }, app: { metrics } });
    const { serveMetrics } = await import("../src/metrics/metrics-route.js");
    const server = await serveMetrics(metrics, "127.0.0.1", 0);
    try {
      await api.gql("{ secretNames }", { token: api.acme.tokens.RUNNER });
      const scraped = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(scraped.status).toBe(200);
      expect(scraped.headers.get("cache-control")).toBe("no-store");
      const text = await scraped.text();
      expect(text).toContain('hush_operations_total{operation="secretNames",outcome="ok"} 1');
      expect(text).not.toContain(api.acme.tokens.RUNNER);
    } finally {
      await server.close();
      await api.close();
    }
  });
});
