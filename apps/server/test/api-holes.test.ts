import { readdir, readFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/http/app.js";
import { type ApiFixture, codes, openApi } from "./api-support.js";
import { testBackends } from "./support/backends.js";

// Defects an outside test of the server found: each test here failed before its fix.

const sqlite = testBackends().find((backend) => backend.name === "sqlite")!;

/** `query{...F0}` and `fragment Fk on Query{...F(k+1) ...F(k+1)}`: 2^levels spreads. */
function fragmentBomb(levels: number, last: string, root = "query{...F0}", on = "Query"): string {
  const chain = Array.from(
    { length: levels },
    (_, k) => `fragment F${k} on ${on}{...F${k + 1} ...F${k + 1}}`,
  );
  return `${root} ${chain.join(" ")} fragment F${levels} on ${on}{${last}}`;
}

describe("documents that would cost more than their size", () => {
  let api: ApiFixture;
  let token: string;
  beforeAll(async () => {
    api = await openApi(sqlite);
    token = api.acme.tokens.RUNNER;
    await api.service.setSecret(api.acme.callers.TENANT_ADMIN, "STILL_HERE", "yes");
  });
  afterAll(async () => {
    await api?.close();
  });

  const read = () => api.gql('{ secretValue(name: "STILL_HERE") }', { token });

  it.each([
    ["a cycle at the end", "...F30"],
    ["a field at the end", "secretNames"],
    ["an alias at the end", "a: secretNames"],
  ])(
    "refuses an anonymous 2^30-spread document with %s, while a read answers",
    async (_label, last) => {
      const bomb = fragmentBomb(30, last);
      expect(bomb.length).toBeLessThan(2048);
      const [refused, answered] = await Promise.all([api.gql(bomb), read()]);
      expect(refused.status).toBe(200);
      expect(codes(refused)).toContain("GRAPHQL_VALIDATION_FAILED");
      expect(refused.body.errors?.[0]?.message).toMatch(
        /selects more than \d+ fields once its fragments are expanded/,
      );
      expect(answered.body).toEqual({ data: { secretValue: "yes" } });
      // Refusals are cached like compiled documents: the same bomb again is a lookup.
      expect((await api.gql(bomb)).body).toEqual(refused.body);
    },
  );

  it("refuses a bomb nested below a field, where no root-field or alias limit applies", async () => {
    const bomb = fragmentBomb(30, "role", "query{me{...F0}}", "Me");
    const refused = await api.gql(bomb, { token });
    expect(codes(refused)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect((await read()).body).toEqual({ data: { secretValue: "yes" } });
  });

  it.each([
    ["deep", `{ ${"me { ".repeat(40)}role${" }".repeat(40)} }`, /nested 41 fields deep/],
    ["wide at the root", `{ ${"secretNames ".repeat(2400)}}`, /selects more than/],
    ["wide below a field", `{ me { ${"role ".repeat(2400)}} }`, /selects more than 2000 fields/],
    [
      "full of aliases",
      `{ ${Array.from({ length: 1000 }, (_, i) => `a${i}: secretNames`).join(" ")} }`,
      /aliases; the limit is 30/,
    ],
  ])("refuses a %s document before validating it", async (_label, document, message) => {
    const refused = await api.gql(document, { token });
    expect(codes(refused)).toContain("GRAPHQL_VALIDATION_FAILED");
    expect(refused.body.errors?.map((error) => error.message).join("\n")).toMatch(message);
  });
});

describe("slow clients on a listening server", () => {
  let api: ApiFixture;
  let server: Awaited<ReturnType<typeof buildApp>>;
  let port: number;
  let token: string;
  beforeAll(async () => {
    api = await openApi(sqlite);
    token = api.acme.tokens.RUNNER;
    await api.service.setSecret(api.acme.callers.TENANT_ADMIN, "STILL_HERE", "yes");
    server = await buildApp({
      service: api.service,
      logger: false,
      requestTimeoutMs: 400,
      headersTimeoutMs: 200,
      maxConnections: 4,
    });
    await server.listen({ host: "127.0.0.1", port: 0 });
    port = (server.server.address() as AddressInfo).port;
  });
  const sockets: Socket[] = [];
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await server?.close();
    await api?.close();
  });

  // A read on a connection of its own, closed after it (no keep-alive to count against the cap).
  const read = () =>
    new Promise<{ status: number | undefined; body: unknown }>((resolve, reject) => {
      const request = httpRequest(
        {
          host: "127.0.0.1",
          port,
          path: "/graphql",
          method: "POST",
          agent: false,
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        },
        (response) => {
          let text = "";
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            text += chunk;
          });
          response.on("end", () =>
            resolve({ status: response.statusCode, body: JSON.parse(text) }),
          );
        },
      );
      request.on("error", reject);
      request.end(JSON.stringify({ query: '{ secretValue(name: "STILL_HERE") }' }));
    });
  const connections = () =>
    new Promise<number>((resolve, reject) =>
      server.server.getConnections((error, count) => (error ? reject(error) : resolve(count))),
    );

  /** Opens a connection that sends `head` at once, then one more byte every 20 ms. */
  function trickle(head: string, more: string) {
    const socket: Socket = connect(port, "127.0.0.1");
    sockets.push(socket);
    let received = "";
    let sent = 0;
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      received += chunk;
    });
    socket.on("error", () => {});
    socket.write(head);
    const timer = setInterval(() => {
      if (socket.writable && sent < more.length) socket.write(more[sent++]!);
    }, 20);
    const closed = new Promise<{ received: string; sent: number }>((resolve) =>
      socket.once("close", () => {
        clearInterval(timer);
        resolve({ received, sent });
      }),
    );
    return { socket, closed };
  }

  it("cuts off a request whose body does not arrive in time, while reads keep answering", async () => {
    const body = "x".repeat(100_000);
    const slow = trickle(
      "POST /graphql HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n",
      body,
    );
    // Several normal reads while the slow body trickles in: each answers.
    for (let i = 0; i < 3; i++) {
      expect(await read()).toEqual({ status: 200, body: { data: { secretValue: "yes" } } });
    }
    const { received, sent } = await slow.closed;
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(sent).toBeLessThan(body.length);
  });

  it("cuts off a client whose headers do not arrive in time", async () => {
    const slow = trickle("GET /healthz HTTP/1.1\r\n", "X-Slow: ".padEnd(10_000, "y"));
    const { received, sent } = await slow.closed;
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(sent).toBeLessThan(10_000);
    expect(await read()).toMatchObject({ status: 200 });
  });

  it("closes connections beyond the cap at once, and serves again once there is room", async () => {
    const held = Array.from({ length: 4 }, () =>
      trickle(
        "POST /graphql HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n",
        "x".repeat(100_000),
      ),
    );
    await Promise.all(
      held.map(({ socket }) => new Promise((resolve) => socket.once("connect", resolve))),
    );
    // The server has accepted them all before the next one knocks.
    await expect.poll(connections).toBe(4);
    const over = trickle("GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n", "");
    expect(await over.closed).toEqual({ received: "", sent: 0 });
    for (const { closed } of held) expect((await closed).received).toMatch(/^HTTP\/1\.1 408 /);
    expect(await read()).toEqual({ status: 200, body: { data: { secretValue: "yes" } } });
  });
});

describe("values and aliases named after JavaScript's object internals", () => {
  let api: ApiFixture;
  let admin: string;
  beforeAll(async () => {
    api = await openApi(sqlite);
    admin = api.acme.tokens.TENANT_ADMIN;
  });
  afterAll(async () => {
    await api?.close();
  });

  const notStored = async (name: string) => {
    const read = await api.gql(`{ secretValue(name: "${name}") }`, { token: admin });
    expect(codes(read)).toEqual(["NOT_FOUND"]);
  };

  it.each([
    ["__proto__", "{a: 1, __proto__: {isAdmin: true}}"],
    ["a nested __proto__", "{a: [{b: 1, __proto__: {isAdmin: true}}]}"],
    ["constructor.prototype", "{constructor: {prototype: {isAdmin: true}}}"],
  ])(
    "refuses a JSON literal with %s with BAD_USER_INPUT instead of storing less",
    async (_label, value) => {
      const set = await api.gql(
        `mutation { setSecret(input: {name: "P", value: ${value}}) { success } }`,
        { token: admin },
      );
      expect(codes(set)).toEqual(["BAD_USER_INPUT"]);
      expect(set.body.errors?.[0]?.message).toMatch(/cannot hold keys named "__proto__"/);
      await notStored("P");
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    },
  );

  it("refuses the same key in variables, in a POST body and in a GET query string", async () => {
    const posted = await api.app.inject({
      method: "POST",
      url: "/graphql",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
      payload:
        '{"query": "mutation($v: JSON!) { setSecret(input: {name: \\"P\\", value: $v}) { success } }", "variables": {"v": {"a": 1, "__proto__": {"isAdmin": true}}}}',
    });
    expect(posted.statusCode).toBe(400);
    const search = new URLSearchParams({
      query: "query($v: JSON) { secretNames }",
      variables: '{"v": {"a": 1, "__proto__": {"isAdmin": true}}}',
    });
    const got = await api.app.inject({
      method: "GET",
      url: `/graphql?${search}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(got.statusCode).toBe(400);
    expect(got.json().errors[0].message).toMatch(/"__proto__" are refused/);
    await notStored("P");
  });

  it("stores a literal with other keys named after Object.prototype members exactly", async () => {
    const value = '{constructor: "c", toString: 1, hasOwnProperty: [true], valueOf: {x: null}}';
    const set = await api.gql(
      `mutation { setSecret(input: {name: "OBJ", value: ${value}}) { success } }`,
      { token: admin },
    );
    expect(set.body.errors).toBeUndefined();
    const read = await api.gql('{ secretValue(name: "OBJ") }', { token: admin });
    expect(read.raw).toBe(
      '{"data":{"secretValue":{"constructor":"c","toString":1,"hasOwnProperty":[true],"valueOf":{"x":null}}}}',
    );
  });

  it("refuses the alias __proto__ at any depth, and answers other such aliases", async () => {
    for (const document of [
      "{ me { __proto__: role } }",
      "{ __proto__: me { role } }",
      "{ me { ...R } } fragment R on Me { __proto__: role }",
    ]) {
      const refused = await api.gql(document, { token: admin });
      expect(codes(refused)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
      expect(refused.body.errors?.[0]?.message).toMatch(/alias "__proto__" cannot be used/);
    }
    const names = ["constructor", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf"];
    const answered = await api.gql(`{ me { ${names.map((name) => `${name}: role`).join(" ")} } }`, {
      token: admin,
    });
    expect(answered.body).toEqual({
      data: { me: Object.fromEntries(names.map((name) => [name, "TENANT_ADMIN"])) },
    });
    const nested = await api.gql("{ constructor: me { toString: tokenName } }", { token: admin });
    expect(nested.body).toEqual({ data: { constructor: { toString: "admin" } } });
  });
});

describe("no token and no value is echoed, logged or stored on any error path", () => {
  // Shaped like a token, but no token: what a user pastes in the wrong field.
  const TOKEN = "hush_CanaryTokenX9fK2mQ7vR4tY8wZ1bN6cD3eG5hJ0kL";
  // Not a valid name (it has spaces), so a name check must refuse it without echoing it.
  const VALUE = "canary value 5c1e9b";
  const lines: string[] = [];
  const bodies: string[] = [];
  let api: ApiFixture;
  let realTokens: string[];

  const remember = (response: { statusCode: number; headers: object; body: string }) => {
    bodies.push(`${response.statusCode} ${JSON.stringify(response.headers)} ${response.body}`);
    return response;
  };
  const leaks = (text: string) =>
    [TOKEN, VALUE, ...realTokens].filter((secret) => text.includes(secret));

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    api = await openApi(sqlite, { logger: pino({ level: "trace" }, stream) });
    realTokens = [...Object.values(api.acme.tokens), ...Object.values(api.globex.tokens)];
    await api.service.setSecret(api.acme.callers.TENANT_ADMIN, "A", "a");
  });
  afterAll(async () => {
    await api?.close();
  });

  const inject = async (options: {
    method?: "GET" | "POST" | "PUT";
    url?: string;
    payload?: string;
    authorization?: string | null;
  }) =>
    remember(
      await api.app.inject({
        method: options.method ?? "POST",
        url: options.url ?? "/graphql",
        headers: {
          "content-type": "application/json",
          ...(options.authorization === null
            ? {}
            : { authorization: options.authorization ?? `Bearer ${api.acme.tokens.TENANT_ADMIN}` }),
        },
        ...(options.payload === undefined ? {} : { payload: options.payload }),
      }),
    );
  const gql = (query: string, variables?: Record<string, unknown>, authorization?: string | null) =>
    inject({
      payload: JSON.stringify({ query, variables }),
      ...(authorization === undefined ? {} : { authorization }),
    });

  it("sweeps every error path with a canary token and a canary value", async () => {
    const responses = [
      // Names: secret names, token names, token ids, audit filters.
      await gql(`{ secretValue(name: "${TOKEN}") }`),
      await gql(`{ secretValue(name: "${VALUE}") }`),
      await gql(`{ secret_value(name: "prod.${TOKEN}") }`),
      await gql(`{ secretValues(names: ["A", "${TOKEN}", "${VALUE}"]) }`),
      await gql(`{ secretVersions(name: "${TOKEN}") { version } }`),
      await gql(`{ auditEvents(name: "${TOKEN}") { id } }`),
      await gql(`mutation { setSecret(input: {name: "${TOKEN}", value: "${VALUE}"}) { success } }`),
      await gql(`mutation { setSecret(input: {name: "${VALUE}", value: "${VALUE}"}) { success } }`),
      await gql(`mutation { deleteSecret(input: {name: "${TOKEN}"}) { success } }`),
      await gql(`mutation { rollbackSecret(input: {name: "${TOKEN}", version: 1}) { success } }`),
      await gql(
        `mutation { createApiToken(input: {name: "ci ${TOKEN}", role: RUNNER}) { token } }`,
      ),
      await gql(`mutation { revokeApiToken(input: {id: "${TOKEN}"}) { success } }`),
      await gql(`mutation { revokeApiToken(input: {id: "${VALUE}"}) { success } }`),
      await gql("mutation($id: ID!) { revokeApiToken(input: {id: $id}) { success } }", {
        id: api.globex.tokens.TENANT_ADMIN,
      }),
      // The same mistakes by a role that may not make them: refused, and audited without them.
      await gql(
        `mutation { setSecret(input: {name: "${TOKEN}", value: 1}) { success } }`,
        undefined,
        `Bearer ${api.acme.tokens.RUNNER}`,
      ),
      await gql(
        `mutation { revokeApiToken(input: {id: "${TOKEN}"}) { success } }`,
        undefined,
        `Bearer ${api.acme.tokens.READ_ONLY_USER}`,
      ),
      await gql(
        `mutation { setSecret(input: {name: "A", value: "${VALUE}"}) { success } }`,
        undefined,
        `Bearer ${api.acme.tokens.RUNNER}`,
      ),
      // Validation: unknown field, argument, enum value, variable, fragment; aliases.
      await gql(`{ ${TOKEN} }`),
      await gql(`{ me { ${TOKEN} } }`),
      await gql(`{ secretValue(name: "A", ${TOKEN}: 1) }`),
      await gql(`mutation { createApiToken(input: {name: "x", role: ${TOKEN}}) { token } }`),
      await gql(`query($${TOKEN}: String) { secretNames }`),
      await gql(`{ secretValue(name: $${TOKEN}) }`),
      await gql(`{ ...${TOKEN} }`),
      await gql(`{ ${TOKEN}: secretNames }`),
      await gql(`query ${TOKEN} { ${"me { ".repeat(20)}role${" }".repeat(20)} }`),
      await gql(`{ secretNames(${TOKEN}: "${VALUE}") }`),
      // Parse errors.
      await gql(`{ secretValue(name: "A") ${TOKEN}`),
      await gql(`{ "${TOKEN}" "${VALUE}" }`),
      await gql(`{ secretValue(name: "${VALUE}`),
      await gql(`{ secretValue(name: ${VALUE}) }`),
      // Variables.
      await gql("mutation($n: String!) { setSecret(input: {name: $n, value: 1}) { success } }", {
        n: TOKEN,
      }),
      await gql("mutation($i: SetSecretInput!) { setSecret(input: $i) { success } }", {
        i: { name: "A", value: 1, [TOKEN]: VALUE },
      }),
      await gql("query($l: Int) { auditEvents(limit: $l) { id } }", { l: VALUE }),
      await gql("query($n: String!) { secretValue(name: $n) }", { n: [VALUE, TOKEN] }),
      await gql("query($n: String!) { secretValue(name: $n) }", { [TOKEN]: VALUE }),
      await gql('mutation($v: JSON!) { setSecret(input: {name: "A", value: $v}) { success } }'),
      await gql(`{ secretValue(name: "A") }`, { v: VALUE }, `Bearer ${TOKEN}`),
      await gql(
        `mutation { setSecret(input: {name: "P", value: {__proto__: "${VALUE}"}}) { success } }`,
      ),
      // Authorization headers.
      await gql("{ secretNames }", undefined, `Bearer ${TOKEN} ${VALUE}`),
      await gql("{ secretNames }", undefined, `Basic ${TOKEN}`),
      await gql("{ secretNames }", undefined, TOKEN),
      await gql("{ secretNames }", undefined, `Bearer ${VALUE}`),
      await gql("{ secretNames }", undefined, `Bearer ${TOKEN}`),
      // Transport: wrong paths and methods, bodies that are not GraphQL over HTTP.
      await inject({ method: "GET", url: `/graphql/${TOKEN}` }),
      await inject({ method: "GET", url: `/${TOKEN}?v=${encodeURIComponent(VALUE)}` }),
      await inject({ method: "POST", url: `/graphql/${TOKEN}`, payload: "{}" }),
      await inject({ method: "PUT", payload: `{"query": "${TOKEN}"}` }),
      await inject({
        method: "GET",
        url: `/graphql?${new URLSearchParams({ query: `{ secretValue(name: "${TOKEN}") }` })}`,
      }),
      await inject({
        method: "GET",
        url: `/graphql?${new URLSearchParams({ query: "mutation { x }", variables: `{"${TOKEN}": ` })}`,
      }),
      await inject({ payload: `{"query": "${TOKEN}", "variables": ["${VALUE}"]}` }),
      await inject({ payload: `{"query": "{ secretNames }", "__proto__": "${TOKEN}"}` }),
      await inject({ payload: `{"query": "${TOKEN} ${VALUE}` }),
      await inject({ payload: `{"query": 1, "${TOKEN}": "${VALUE}"}` }),
    ];
    for (const response of responses) {
      expect(response.statusCode).toBeLessThan(500);
      expect(leaks(response.body)).toEqual([]);
    }
    expect(leaks(bodies.join("\n"))).toEqual([]);
    // Every one of them was refused: none of these requests is a success.
    for (const response of responses) {
      expect(response.body === "" ? undefined : JSON.parse(response.body).errors).toBeDefined();
    }

    expect(lines.some((line) => line.includes('"url":"/graphql/hush_…"'))).toBe(true);
    expect(leaks(lines.join("\n"))).toEqual([]);

    // The database: the SQLite file and its WAL, while open and once closed.
    const files = async () => {
      const names = await readdir(api.backend.dataDir);
      const contents = await Promise.all(
        names
          .filter((name) => name.startsWith("hush.db"))
          .map((name) => readFile(join(api.backend.dataDir, name), "latin1")),
      );
      return contents.join("\n");
    };
    const open = await files();
    expect(open.length).toBeGreaterThan(0);
    expect(leaks(open)).toEqual([]);
    await api.service.close();
    expect(leaks(await files())).toEqual([]);
  });

  it("still stores the audit events of those refusals, naming only valid names", async () => {
    // Reopened over the same data: the denied write above was audited, without its name.
    const service = await api.backend.reopen();
    const events = await service.auditEvents(api.acme.callers.TENANT_ADMIN, {
      limit: 100,
      offset: 0,
    });
    const denied = events.filter((event) => event.outcome === "DENIED");
    expect(denied.length).toBeGreaterThan(0);
    expect(leaks(JSON.stringify(events))).toEqual([]);
    expect(new Set(events.map((event) => event.secretName ?? null))).toEqual(new Set([null, "A"]));
    await service.close();
  });
});
