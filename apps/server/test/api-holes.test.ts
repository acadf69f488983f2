import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";
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
