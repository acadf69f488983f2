import { afterEach, describe, expect, it } from "vitest";
import { type FakeServer, type FakeServerOptions, startFakeServer } from "../src/testing/index.js";

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options?: FakeServerOptions): Promise<FakeServer> {
  const server = await startFakeServer(options);
  servers.push(server);
  return server;
}

interface Answer {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; path?: unknown[]; extensions: Record<string, unknown> }>;
  };
}

async function post(
  server: FakeServer,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<Answer> {
  const response = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Answer["body"],
  };
}

const tokens = {
  admin: "TENANT_ADMIN",
  user: "USER",
  runner: "RUNNER",
  reader: "READ_ONLY_USER",
} as const;

describe("startFakeServer", () => {
  it("serves the seed-era operations exactly as Prefect's document writes them", async () => {
    const server = await start({ tokens });
    const set = await post(
      server,
      'mutation { setSecret(input: {name: "KEY", value: "VALUE"}) { success } }',
      undefined,
      "admin",
    );
    expect(set).toMatchObject({ status: 200, body: { data: { setSecret: { success: true } } } });
    const list = await post(
      server,
      "query { secret(order_by: {name: asc}) { name } }",
      undefined,
      "admin",
    );
    expect(list.body).toEqual({ data: { secret: [{ name: "KEY" }] } });
    expect(server.secrets.get("KEY")).toBe("VALUE");
  });

  it("serves Prefect 1.x's snake_case names with the same rules", async () => {
    const server = await start({ tokens, secrets: { A: { user: "u" } } });
    const answer = await post(
      server,
      'mutation { set_secret(input: {name: "B", value: 42}) { success } }',
      undefined,
      "user",
    );
    expect(answer.body.data).toEqual({ set_secret: { success: true } });
    expect((await post(server, "{ secret_names }", undefined, "reader")).body.data).toEqual({
      secret_names: ["A", "B"],
    });
    expect((await post(server, '{ secret_value(name: "A") }', undefined, "runner")).body).toEqual({
      data: { secret_value: { user: "u" } },
    });
    const deleted = await post(
      server,
      'mutation { delete_secret(input: {name: "B"}) { success } }',
      undefined,
      "admin",
    );
    expect(deleted.body.data).toEqual({ delete_secret: { success: true } });
    expect([...server.secrets.keys()]).toEqual(["A"]);
  });

  it("answers every operation without a token with UNAUTHENTICATED by default", async () => {
    const server = await start({ secrets: { A: 1 } });
    const answer = await post(server, "{ secretNames }");
    expect(answer.status).toBe(200);
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors).toEqual([
      {
        message: expect.stringContaining("Authorization: Bearer <token>"),
        locations: [{ line: 1, column: 3 }],
        path: ["secretNames"],
        extensions: { code: "UNAUTHENTICATED" },
      },
    ]);
    const unknown = await post(server, "{ secretNames }", undefined, "nope");
    expect(unknown.body.errors?.[0]?.extensions.code).toBe("UNAUTHENTICATED");
    expect(unknown.body.errors?.[0]?.message).toMatch(/unknown, revoked or expired/);
  });

  it("lets every request in as an admin when requireAuth is false", async () => {
    const server = await start({ requireAuth: false, secrets: { A: 1 }, tokens: { r: "RUNNER" } });
    expect((await post(server, "{ me { role tokenName } }")).body.data).toEqual({
      me: { role: "TENANT_ADMIN", tokenName: "anonymous" },
    });
    expect((await post(server, "{ me { role } }", undefined, "r")).body.data).toEqual({
      me: { role: "RUNNER" },
    });
  });

  it("answers a malformed Authorization header with HTTP 401", async () => {
    const server = await start({ tokens });
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Token admin" },
      body: JSON.stringify({ query: "{ secretNames }" }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    expect(await response.json()).toMatchObject({
      errors: [{ extensions: { code: "UNAUTHENTICATED" } }],
    });
  });

  it("applies the server's role rules, naming the roles that may", async () => {
    const server = await start({ tokens, secrets: { A: "a" } });
    const cases: Array<[string, keyof typeof tokens, string | null]> = [
      ['{ secretValue(name: "A") }', "admin", null],
      ['{ secretValue(name: "A") }', "runner", null],
      ['{ secretValue(name: "A") }', "user", "TENANT_ADMIN or RUNNER"],
      ['{ secretValue(name: "A") }', "reader", "TENANT_ADMIN or RUNNER"],
      ['{ secretValues(names: ["A"]) }', "user", "TENANT_ADMIN or RUNNER"],
      ['mutation { setSecret(input: {name: "A", value: 1}) { version } }', "user", null],
      [
        'mutation { setSecret(input: {name: "A", value: 1}) { version } }',
        "runner",
        "TENANT_ADMIN or USER role",
      ],
      [
        'mutation { setSecret(input: {name: "A", value: 1}) { version } }',
        "reader",
        "TENANT_ADMIN or USER role",
      ],
      [
        'mutation { deleteSecret(input: {name: "A"}) { success } }',
        "runner",
        "TENANT_ADMIN or USER role",
      ],
      ["{ secretNames }", "reader", null],
      ['{ secretVersions(name: "A") { version } }', "reader", null],
      ["{ apiTokens { id } }", "user", "the TENANT_ADMIN role;"],
      ["{ auditEvents { id } }", "runner", "the TENANT_ADMIN role;"],
      [
        'mutation { createApiToken(input: {name: "x", role: USER}) { id } }',
        "user",
        "TENANT_ADMIN",
      ],
    ];
    for (const [query, token, forbidden] of cases) {
      const answer = await post(server, query, undefined, token);
      if (forbidden === null) {
        expect(answer.body.errors, `${token}: ${query}`).toBeUndefined();
      } else {
        expect(answer.body.errors?.[0]?.extensions.code, `${token}: ${query}`).toBe("FORBIDDEN");
        expect(answer.body.errors?.[0]?.message).toContain(forbidden);
        expect(answer.body.errors?.[0]?.message).toContain(
          `this token has the ${tokens[token]} role`,
        );
      }
    }
  });

  it("says a missing secret was not found in the tenant, and lists the missing names", async () => {
    const server = await start({ tokens, tenant: "acme", secrets: { A: 1, B: 2 } });
    const one = await post(server, '{ secretValue(name: "NOPE") }', undefined, "runner");
    expect(one.body.errors?.[0]).toMatchObject({
      message:
        'No value found for the requested key: the secret NOPE was not found in tenant "acme".',
      path: ["secretValue"],
      extensions: { code: "NOT_FOUND" },
    });
    const many = await post(
      server,
      "query Many($names: [String!]!) { secretValues(names: $names) }",
      { names: ["A", "X", "B", "Y", "X"] },
      "runner",
    );
    expect(many.body.errors?.[0]?.extensions).toEqual({ code: "NOT_FOUND", names: ["X", "Y"] });
    const found = await post(
      server,
      "query Many($names: [String!]!) { secretValues(names: $names) }",
      { names: ["B", "A"] },
      "admin",
    );
    expect(found.body.data).toEqual({ secretValues: { B: 2, A: 1 } });
  });

  it("validates every document against the schema, and has no value field on Secret", async () => {
    const server = await start({ tokens });
    const noValue = await post(server, "{ secret { name value } }", undefined, "admin");
    expect(noValue.status).toBe(200);
    expect(noValue.body.errors?.[0]?.extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(noValue.body.errors?.[0]?.message).toMatch(/Cannot query field "value"/);
    const syntax = await post(server, "{ secretNames", undefined, "admin");
    expect(syntax.body.errors?.[0]?.extensions.code).toBe("GRAPHQL_PARSE_FAILED");
    const variable = await post(
      server,
      "query Q($name: String!) { secretValue(name: $name) }",
      { name: 42 },
      "admin",
    );
    expect(variable.body.errors?.[0]?.extensions.code).toBe("BAD_USER_INPUT");
    const date = await post(
      server,
      'mutation { createApiToken(input: {name: "x", role: USER, expiresAt: "soon"}) { id } }',
      undefined,
      "admin",
    );
    expect(date.body.errors?.[0]?.extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("rejects bad names and oversized values with BAD_USER_INPUT, never echoing the value", async () => {
    const server = await start({ tokens });
    const set =
      "mutation S($name: String!, $value: JSON!) { setSecret(input: {name: $name, value: $value}) { version } }";
    for (const name of [".hidden", "", "a b", "x".repeat(256)]) {
      const answer = await post(server, set, { name, value: 1 }, "admin");
      expect(answer.body.errors?.[0]?.extensions.code, name).toBe("BAD_USER_INPUT");
    }
    const canary = `canary-${"v".repeat(70_000)}`;
    const big = await post(server, set, { name: "BIG", value: canary }, "admin");
    expect(big.body.errors?.[0]?.extensions.code).toBe("BAD_USER_INPUT");
    expect(JSON.stringify(big.body)).not.toContain("canary-");
  });

  it("checks names on reads too, as the server does", async () => {
    const server = await start({ tokens });
    for (const query of [
      '{ secretValue(name: "a b") }',
      '{ secretVersions(name: ".x") { version } }',
    ]) {
      const answer = await post(server, query, undefined, "admin");
      expect(answer.body.errors?.[0]?.extensions.code, query).toBe("BAD_USER_INPUT");
    }
  });

  it("answers request errors with 400, 405 and 415 in the GraphQL error shape", async () => {
    const server = await start({ tokens });
    const bad = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ extensions: { code: "BAD_REQUEST" } }] });
    const noQuery = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ variables: {} }),
    });
    expect(noQuery.status).toBe(400);
    const text = await fetch(`${server.url}/graphql`, { method: "POST", body: "{ me { role } }" });
    expect(text.status).toBe(415);
    const mutation = encodeURIComponent(
      'mutation { deleteSecret(input: {name: "A"}) { success } }',
    );
    const get = await fetch(`${server.url}/graphql?query=${mutation}`);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });

  it("serves queries over GET", async () => {
    const server = await start({ tokens, secrets: { A: 1 } });
    const query = encodeURIComponent("query Names { secretNames }");
    const response = await fetch(`${server.url}/graphql?query=${query}`, {
      headers: { authorization: "Bearer reader" },
    });
    expect(await response.json()).toEqual({ data: { secretNames: ["A"] } });
  });

  it("logs each request's operation and fields, never its variables or token", async () => {
    const server = await start({ tokens });
    await post(
      server,
      "mutation Set($name: String!, $value: JSON!) { setSecret(input: {name: $name, value: $value}) { version } }",
      { name: "A", value: "canary-value" },
      "admin",
    );
    await post(server, "query { secretNames me { role } }");
    expect(server.requests).toEqual([
      {
        method: "POST",
        operationName: "Set",
        operationType: "mutation",
        fields: ["setSecret"],
        authorization: true,
        faulted: false,
      },
      {
        method: "POST",
        operationName: null,
        operationType: "query",
        fields: ["secretNames", "me"],
        authorization: false,
        faulted: false,
      },
    ]);
    expect(JSON.stringify(server.requests)).not.toMatch(/canary|admin/);
  });

  it("keeps versions, rolls back, and records writes made through the secrets Map", async () => {
    const server = await start({ tokens, secrets: { A: "one" } });
    server.secrets.set("A", "two");
    const set = await post(
      server,
      'mutation { setSecret(input: {name: "A", value: "three"}) { success version } }',
      undefined,
      "user",
    );
    expect(set.body.data).toEqual({ setSecret: { success: true, version: 3 } });
    const rollback = await post(
      server,
      'mutation { rollbackSecret(input: {name: "A", version: 1}) { success version } }',
      undefined,
      "user",
    );
    expect(rollback.body.data).toEqual({ rollbackSecret: { success: true, version: 4 } });
    expect(server.secrets.get("A")).toBe("one");
    await post(
      server,
      'mutation { deleteSecret(input: {name: "A"}) { success } }',
      undefined,
      "user",
    );
    const versions = await post(
      server,
      '{ secretVersions(name: "A") { version createdBy hasValue deleted } }',
      undefined,
      "reader",
    );
    expect(versions.body.data?.secretVersions).toEqual([
      { version: 5, createdBy: "token-2", hasValue: false, deleted: true },
      { version: 4, createdBy: "token-2", hasValue: true, deleted: false },
      { version: 3, createdBy: "token-2", hasValue: true, deleted: false },
      { version: 2, createdBy: "fake-server", hasValue: true, deleted: false },
      { version: 1, createdBy: "fake-server", hasValue: true, deleted: false },
    ]);
    const missing = await post(
      server,
      'mutation { rollbackSecret(input: {name: "A", version: 9}) { version } }',
      undefined,
      "user",
    );
    expect(missing.body.errors?.[0]?.extensions.code).toBe("NOT_FOUND");
    const tombstone = await post(
      server,
      'mutation { rollbackSecret(input: {name: "A", version: 5}) { version } }',
      undefined,
      "user",
    );
    expect(tombstone.body.errors?.[0]?.extensions.code).toBe("BAD_USER_INPUT");
  });

  it("keeps the values of the last 10 versions only", async () => {
    const server = await start({ tokens });
    for (let i = 1; i <= 12; i++) server.secrets.set("A", i);
    const versions = await post(
      server,
      '{ secretVersions(name: "A") { version hasValue } }',
      undefined,
      "admin",
    );
    const list = versions.body.data?.secretVersions as Array<{ hasValue: boolean }>;
    expect(list.map((v) => v.hasValue)).toEqual([...Array(10).fill(true), false, false]);
  });

  it("filters, sorts and pages secret metadata Hasura style", async () => {
    const server = await start({
      tokens,
      secrets: { app_db: 1, app_api: 2, other: 3, "app.x": 4 },
    });
    const answer = await post(
      server,
      'query { secret(where: {name: {_like: "app_%"}}, order_by: [{name: desc}], limit: 2, offset: 1) { name version updatedBy } }',
      undefined,
      "reader",
    );
    // `_` is LIKE's any-one-character, so "app.x" matches too; "." sorts before "_".
    expect(answer.body.data?.secret).toEqual([
      { name: "app_api", version: 1, updatedBy: "fake-server" },
      { name: "app.x", version: 1, updatedBy: "fake-server" },
    ]);
    const inList = await post(
      server,
      'query { secret(where: {name: {_in: ["other", "app.x", "gone"]}}) { name } }',
      undefined,
      "reader",
    );
    expect(inList.body.data?.secret).toEqual([{ name: "app.x" }, { name: "other" }]);
    const escaped = await post(
      server,
      'query { secret(where: {name: {_like: "app\\\\_%"}}) { name } }',
      undefined,
      "reader",
    );
    expect(escaped.body.data?.secret).toEqual([{ name: "app_api" }, { name: "app_db" }]);
    const badLimit = await post(server, "{ secret(limit: 0) { name } }", undefined, "reader");
    expect(badLimit.body.errors?.[0]?.extensions.code).toBe("BAD_USER_INPUT");
  });

  it("creates, lists and revokes tokens; a created token works until revoked", async () => {
    const server = await start({ tokens: { admin: "TENANT_ADMIN" }, tenant: "acme" });
    const created = await post(
      server,
      'mutation { createApiToken(input: {name: "ci", role: RUNNER}) { id token apiToken { name role revokedAt } } }',
      undefined,
      "admin",
    );
    const payload = created.body.data?.createApiToken as { id: string; token: string };
    expect(payload.token).toMatch(/^hush_[\w-]{43}$/);
    expect(created.body.data?.createApiToken).toMatchObject({
      apiToken: { name: "ci", role: "RUNNER", revokedAt: null },
    });
    const me = await post(server, "{ me { tenant { name } role tokenName } }", {}, payload.token);
    expect(me.body.data).toEqual({
      me: { tenant: { name: "acme" }, role: "RUNNER", tokenName: "ci" },
    });
    const list = await post(server, "{ apiTokens { name role } }", undefined, "admin");
    expect(list.body.data?.apiTokens).toEqual([
      { name: "token-1", role: "TENANT_ADMIN" },
      { name: "ci", role: "RUNNER" },
    ]);
    await post(
      server,
      `mutation { revokeApiToken(input: {id: "${payload.id}"}) { success } }`,
      undefined,
      "admin",
    );
    const after = await post(server, "{ me { role } }", undefined, payload.token);
    expect(after.body.errors?.[0]?.extensions.code).toBe("UNAUTHENTICATED");
  });

  it("audits writes and value reads, newest first, without values", async () => {
    const server = await start({ tokens, secrets: { A: "canary-1" } });
    await post(server, '{ secretValue(name: "A") }', undefined, "runner");
    await post(server, '{ secretValue(name: "A") }', undefined, "user");
    await post(server, '{ secretValue(name: "B") }', undefined, "runner");
    const events = await post(
      server,
      "{ auditEvents(limit: 2) { action secretName outcome actor } }",
      undefined,
      "admin",
    );
    expect(events.body.data?.auditEvents).toEqual([
      { action: "READ_SECRET_VALUE", secretName: "B", outcome: "NOT_FOUND", actor: "token-3" },
      { action: "READ_SECRET_VALUE", secretName: "A", outcome: "DENIED", actor: "token-2" },
    ]);
  });

  describe("failNext", () => {
    it("answers the next requests with a status and body, then serves normally", async () => {
      const server = await start({ tokens, secrets: { A: 1 } });
      server.failNext(2, { status: 503 });
      const first = await fetch(`${server.url}/graphql`, { method: "POST" });
      expect(first.status).toBe(503);
      expect(await first.text()).toBe("Service Unavailable");
      server.failNext(1, { body: "<html>proxy</html>" });
      expect((await fetch(`${server.url}/graphql`, { method: "POST" })).status).toBe(503);
      const html = await fetch(`${server.url}/graphql`, { method: "POST" });
      expect(html.status).toBe(200);
      expect(html.headers.get("content-type")).toMatch(/^text\/plain/);
      expect((await post(server, "{ secretNames }", undefined, "admin")).body.data).toEqual({
        secretNames: ["A"],
      });
      expect(server.requests.map((r) => r.faulted)).toEqual([true, true, true, false]);
    });

    it("drops the connection without an answer", async () => {
      const server = await start({ tokens });
      server.failNext(1, { destroy: true });
      await expect(post(server, "{ secretNames }", undefined, "admin")).rejects.toThrow(
        /fetch failed/,
      );
      expect((await post(server, "{ secretNames }", undefined, "admin")).status).toBe(200);
    });

    it("delays an answer, and a delay alone still runs the operation", async () => {
      const server = await start({ tokens, secrets: { A: 1 } });
      server.failNext(1, { delayMs: 20 });
      expect((await post(server, '{ secretValue(name: "A") }', undefined, "admin")).body).toEqual({
        data: { secretValue: 1 },
      });
      server.failNext(1, { delayMs: 5_000 });
      await expect(
        fetch(`${server.url}/graphql`, { method: "POST", signal: AbortSignal.timeout(50) }),
      ).rejects.toThrow(/aborted/);
    });
  });

  it("counts connections, and closes idle keep-alive ones on close", async () => {
    const server = await start({ tokens });
    for (let i = 0; i < 10; i++) await post(server, "{ secretNames }", undefined, "admin");
    // fetch may open a second socket before the first is back in its pool, never one per request.
    expect(server.connections).toBeGreaterThanOrEqual(1);
    expect(server.connections).toBeLessThanOrEqual(2);
    await server.close();
    await server.close();
    await expect(fetch(`${server.url}/graphql`)).rejects.toThrow(/fetch failed/);
  });
});
