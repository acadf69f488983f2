import type { AddressInfo } from "node:net";
import { serverAudits } from "graphql-http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ApiFixture, openApi } from "./api-support.js";
import { describeBackends } from "./support/backends.js";

// graphql-http's conformance audits of the GraphQL-over-HTTP spec, run against the real route
// over real HTTP. Every audit must pass: the MAYs and SHOULDs too, not only the MUSTs.
describeBackends("GraphQL over HTTP: graphql-http's server audits", (backend) => {
  let api: ApiFixture;
  let url = "";
  const cacheHeaders: (string | null)[] = [];

  // Some audits introspect (`__type`), which needs a token: every request sends one.
  const fetchWithToken = async (input: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${api.acme.tokens.READ_ONLY_USER}`);
    const response = await fetch(input, { ...init, headers });
    cacheHeaders.push(response.headers.get("cache-control"));
    return response;
  };
  const audits = serverAudits({ url: () => url, fetchFn: fetchWithToken });

  beforeAll(async () => {
    api = await openApi(backend);
    await api.app.listen({ host: "127.0.0.1", port: 0 });
    url = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await api?.close();
  });

  it.each(audits.map((audit) => [audit.id, audit.name, audit] as const))(
    "%s %s",
    async (_id, _name, audit) => {
      const result = await audit.fn();
      const reason = result.status === "ok" ? "" : result.reason;
      expect(result.status, reason).toBe("ok");
    },
  );

  it("ran all 61 audits, and every answer said Cache-Control: no-store", () => {
    expect(audits).toHaveLength(61);
    expect(cacheHeaders.length).toBeGreaterThanOrEqual(61);
    expect(new Set(cacheHeaders)).toEqual(new Set(["no-store"]));
  });
});

// What the audits do not reach: the answers hush gives as application/graphql-response+json
// beyond parse, validation and variable errors, next to the application/json ones of before.
describeBackends("GraphQL over HTTP: statuses by media type", (backend) => {
  let api: ApiFixture;
  const NEW = "application/graphql-response+json; charset=utf-8";
  const OLD = "application/json; charset=utf-8";

  const post = async (
    accept: string | undefined,
    payload: string,
    token?: string,
  ): Promise<{ status: number; headers: Record<string, unknown>; body: ApiBody }> => {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (accept !== undefined) headers.accept = accept;
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const response = await api.app.inject({ method: "POST", url: "/graphql", headers, payload });
    return { status: response.statusCode, headers: response.headers, body: response.json() };
  };
  const query = (text: string, variables?: Record<string, unknown>) =>
    JSON.stringify({ query: text, variables });

  beforeAll(async () => {
    api = await openApi(backend);
    await api.service.setSecret(api.acme.callers.TENANT_ADMIN, "A", 1);
  });
  afterAll(async () => {
    await api?.close();
  });

  it("answers introspection without a token with 401 and WWW-Authenticate", async () => {
    const introspection = query("{ __schema { queryType { name } } }");
    const refused = await post(NEW, introspection);
    expect(refused).toMatchObject({
      status: 401,
      headers: { "content-type": NEW, "www-authenticate": "Bearer", "cache-control": "no-store" },
    });
    expect(refused.body.data).toBeUndefined();
    expect(codes(refused.body)).toEqual(["UNAUTHENTICATED"]);
    const legacy = await post(undefined, introspection);
    expect(legacy).toMatchObject({ status: 200, headers: { "content-type": OLD } });
    expect(legacy.headers["www-authenticate"]).toBeUndefined();
    expect(codes(legacy.body)).toEqual(["UNAUTHENTICATED"]);
  });

  it("answers a request refused by its cost with 400 BAD_USER_INPUT", async () => {
    const names = Array.from({ length: 1001 }, (_, i) => `N${i}`);
    const tooMany = query("query ($names: [String!]) { secretValues(names: $names) }", { names });
    const refused = await post(NEW, tooMany, api.acme.tokens.RUNNER);
    expect(refused).toMatchObject({
      status: 400,
      headers: { "content-type": NEW, "cache-control": "no-store" },
    });
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT" });
    const legacy = await post("application/json", tooMany, api.acme.tokens.RUNNER);
    expect(legacy).toMatchObject({ status: 200, headers: { "content-type": OLD } });
    expect(codes(legacy.body)).toEqual(["BAD_USER_INPUT"]);
  });

  it("answers field errors with 200: the response has data", async () => {
    const missing = await post(
      NEW,
      query('{ secretValue(name: "MISSING") }'),
      api.acme.tokens.RUNNER,
    );
    expect(missing).toMatchObject({ status: 200, headers: { "content-type": NEW } });
    expect(missing.body.data).toEqual({ secretValue: null });
    expect(codes(missing.body)).toEqual(["NOT_FOUND"]);
    const found = await post(NEW, query('{ secretValue(name: "A") }'), api.acme.tokens.RUNNER);
    expect(found).toMatchObject({ status: 200, body: { data: { secretValue: 1 } } });
  });

  it("answers malformed requests in the negotiated media type, with the same status", async () => {
    for (const [accept, type] of [
      [NEW, NEW],
      ["application/json", OLD],
    ] as const) {
      expect(await post(accept, '{ "not JSON')).toMatchObject({
        status: 400,
        headers: { "content-type": type, "cache-control": "no-store" },
      });
      expect(await post(accept, JSON.stringify({ qeury: "{ __typename }" }))).toMatchObject({
        status: 400,
        headers: { "content-type": type },
      });
      expect(await post(accept, query("{ __typename }"), "not-a-token")).toMatchObject({
        status: 401,
        headers: { "content-type": type, "www-authenticate": "Bearer" },
      });
    }
  });
});

interface ApiBody {
  data?: unknown;
  errors?: { message: string; extensions: { code: string; [key: string]: unknown } }[];
}

function codes(body: ApiBody): string[] {
  return (body.errors ?? []).map((error) => error.extensions.code);
}
