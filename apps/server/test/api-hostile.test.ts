import { describe, expect, it } from "vitest";
import { type ApiFixture, codes, expectStillServing, openApiForSuite } from "./api-support.js";
import { describeBackends } from "./support/backends.js";

interface Raw {
  status: number;
  headers: Record<string, unknown>;
  body: { errors?: { message: string; extensions: { code: string } }[]; data?: unknown };
  raw: string;
}

describeBackends("api under hostile and malformed requests", (backend) => {
  let api: ApiFixture;
  let token: string;
  openApiForSuite(backend, (opened) => {
    api = opened;
    token = api.acme.tokens.TENANT_ADMIN;
  });
  expectStillServing(() => api);

  async function send(options: {
    method?: "GET" | "POST" | "PUT" | "DELETE" | "HEAD";
    url?: string;
    contentType?: string | null;
    payload?: string | Buffer;
    headers?: Record<string, string>;
  }): Promise<Raw> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.contentType !== null)
      headers["content-type"] = options.contentType ?? "application/json";
    const response = await api.app.inject({
      method: options.method ?? "POST",
      url: options.url ?? "/graphql",
      headers,
      ...(options.payload === undefined ? {} : { payload: options.payload }),
    });
    const raw = response.body;
    return {
      status: response.statusCode,
      headers: response.headers,
      body: raw === "" ? {} : JSON.parse(raw),
      raw,
    };
  }

  const errorCode = (response: Raw) => response.body.errors?.map((e) => e.extensions.code);

  describe("requests that are not well-formed GraphQL over HTTP get a 4xx and a GraphQL-shaped error", () => {
    it.each([
      ["unparseable JSON", '{"query": "{ secretNames }"', 400],
      ["an empty body", "", 400],
      ["a JSON array (a batch)", '[{"query": "{ secretNames }"}]', 400],
      ["a JSON string", '"{ secretNames }"', 400],
      ["JSON null", "null", 400],
      ["no query", '{"variables": {}}', 400],
      ["an empty query", '{"query": ""}', 400],
      ["a query that is not a string", '{"query": {"kind": "Document"}}', 400],
      ["variables that are a list", '{"query": "{ secretNames }", "variables": [1]}', 400],
      ["variables that are a string", '{"query": "{ secretNames }", "variables": "{}"}', 400],
      ["variables that are a number", '{"query": "{ secretNames }", "variables": 7}', 400],
      [
        "an operationName that is not a string",
        '{"query": "{ secretNames }", "operationName": 1}',
        400,
      ],
      ["extensions that are not an object", '{"query": "{ secretNames }", "extensions": "x"}', 400],
      ["a body with a __proto__ key", '{"query": "{ secretNames }", "__proto__": {"x": 1}}', 400],
    ])("%s → %i BAD_REQUEST", async (_label, payload, status) => {
      const response = await send({ payload, headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(status);
      expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(errorCode(response)).toEqual(["BAD_REQUEST"]);
      expect(response.body.errors?.[0]?.message.length).toBeGreaterThan(10);
    });

    it.each([
      ["text/plain", "text/plain"],
      ["a form", "application/x-www-form-urlencoded"],
      ["application/graphql", "application/graphql"],
      ["multipart", "multipart/form-data; boundary=x"],
    ])("a body sent as %s → 415", async (_label, contentType) => {
      const response = await send({ contentType, payload: "{ secretNames }" });
      expect(response.status).toBe(415);
      expect(errorCode(response)).toEqual(["BAD_REQUEST"]);
      expect(response.body.errors?.[0]?.message).toMatch(/application\/json/);
    });

    it("a body with no content type → 415", async () => {
      const response = await send({ contentType: null, payload: '{"query": "{ secretNames }"}' });
      expect(response.status).toBe(415);
      expect(errorCode(response)).toEqual(["BAD_REQUEST"]);
    });

    it("a body over 1 MiB → 413", async () => {
      const padding = "x".repeat(1024 * 1024);
      const response = await send({
        payload: JSON.stringify({ query: "{ secretNames }", variables: { padding } }),
      });
      expect(response.status).toBe(413);
      expect(errorCode(response)).toEqual(["BAD_REQUEST"]);
      expect(response.body.errors?.[0]?.message).toMatch(/too large/);
    });

    it("a mutation over GET → 405 with Allow: POST, and nothing is written", async () => {
      const query = 'mutation { setSecret(input: {name: "VIA_GET", value: "x"}) { success } }';
      const response = await send({
        method: "GET",
        url: `/graphql?${new URLSearchParams({ query })}`,
        contentType: null,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe("POST");
      expect(errorCode(response)).toEqual(["BAD_REQUEST"]);
      expect(await api.service.secretNames(api.acme.callers.TENANT_ADMIN)).not.toContain("VIA_GET");
    });

    it.each([
      ["variables that are not JSON", { query: "{ secretNames }", variables: "{nope" }],
      ["variables that are a JSON list", { query: "{ secretNames }", variables: "[1]" }],
      ["no query", { variables: "{}" }],
    ])("GET with %s → 400", async (_label, params) => {
      const response = await send({
        method: "GET",
        url: `/graphql?${new URLSearchParams(params)}`,
        contentType: null,
      });
      expect(response.status).toBe(400);
      expect(errorCode(response)).toEqual(["BAD_REQUEST"]);
    });

    it("GET with a repeated query parameter → 400", async () => {
      const response = await send({
        method: "GET",
        url: "/graphql?query=%7B%20me%20%7Brole%7D%20%7D&query=%7B%20secretNames%20%7D",
        contentType: null,
      });
      expect(response.status).toBe(400);
    });

    it.each(["PUT", "DELETE", "HEAD"] as const)(
      "%s /graphql → 405 with Allow: GET, POST",
      async (method) => {
        const response = await send({ method, payload: '{"query": "{ secretNames }"}' });
        expect(response.status).toBe(405);
        expect(response.headers.allow).toBe("GET, POST");
      },
    );

    it("an unknown path → 404 in the same shape", async () => {
      const response = await send({ method: "GET", url: "/admin?token=x", contentType: null });
      expect(response.status).toBe(404);
      expect(errorCode(response)).toEqual(["NOT_FOUND"]);
    });
  });

  describe("malformed Authorization headers → 401 with WWW-Authenticate: Bearer", () => {
    it.each([
      ["Basic credentials", "Basic dXNlcjpwYXNz"],
      ["Bearer and nothing", "Bearer"],
      ["Bearer and a space", "Bearer "],
      ["a bare token", "hush_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
      ["a token of another shape", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"],
      ["a token too short", "Bearer hush_abc"],
      ["two tokens", "Bearer hush_AAAAAAAAAAAAAAAAAAAAAAAAAA hush_BBBBBBBBBBBBBBBBBBBBBBBBBB"],
      ["a token with a NUL-like escape", "Bearer hush_AAAAAAAAAAAAAAAAAAAA%00AAAA"],
      ["an enormous header", `Bearer hush_${"A".repeat(5000)}`],
    ])("%s", async (_label, authorization) => {
      const response = await api.gql("{ secretNames }", { authorization });
      expect(response.status).toBe(401);
      expect(response.headers["www-authenticate"]).toBe("Bearer");
      expect(codes(response)).toEqual(["UNAUTHENTICATED"]);
      expect(response.body.errors?.[0]?.message).toMatch(/hush-server token create/);
      expect(response.raw).not.toContain(authorization.slice(7, 40) || "\u0000");
    });

    it("a well-formed but unknown token → 200 with UNAUTHENTICATED on each field", async () => {
      const response = await api.gql("{ secretNames me { role } }", {
        token: `hush_${"Z".repeat(43)}`,
      });
      expect(response.status).toBe(200);
      expect(response.body.data).toBeNull();
      expect(codes(response).length).toBeGreaterThan(0);
      expect(new Set(codes(response))).toEqual(new Set(["UNAUTHENTICATED"]));
      expect(response.body.errors?.[0]?.message).toMatch(/unknown, expired or revoked/);
    });

    it("no header → 200; only the fields that need a caller fail", async () => {
      const response = await api.gql("{ __typename secretNames }");
      expect(response.status).toBe(200);
      expect(response.body.data).toBeNull();
      expect(codes(response)).toEqual(["UNAUTHENTICATED"]);
      const open = await api.gql("{ __typename }");
      expect(open.body).toEqual({ data: { __typename: "Query" } });
    });
  });

  describe("request ids", () => {
    it("echoes a safe incoming x-request-id and replaces an unsafe one", async () => {
      const safe = await send({
        payload: '{"query": "{ __typename }"}',
        headers: { "x-request-id": "req-123.abc" },
      });
      expect(safe.headers["x-request-id"]).toBe("req-123.abc");
      const unsafe = await send({
        payload: '{"query": "{ __typename }"}',
        headers: { "x-request-id": "evil\tid <script>" },
      });
      expect(unsafe.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
      const error = await send({ payload: "{" });
      expect(error.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
