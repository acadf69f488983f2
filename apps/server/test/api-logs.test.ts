import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildApp } from "../src/http/app.js";
import type { HushService } from "../src/index.js";
import { type ApiFixture, codes, fieldOf, openApi } from "./api-support.js";
import { describeBackends } from "./support/backends.js";

const VALUE_CANARY = "canary-value-7f3a9c";
const NAME_OF_EXPLODING = "EXPLODES";

describeBackends("api logs", (backend) => {
  const lines: string[] = [];
  let api: ApiFixture;
  let tokens: string[];
  let newToken: string;
  let maskedRequestId: string;

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    const logger = pino({ level: "trace" }, stream);
    api = await openApi(backend, { logger });
    tokens = [...Object.values(api.acme.tokens), ...Object.values(api.globex.tokens)];
    const admin = api.acme.tokens.TENANT_ADMIN;
    const runner = api.acme.tokens.RUNNER;

    // Writes and reads of values, through every name for them.
    await api.gql(
      `mutation { setSecret(input: {name: "A", value: "${VALUE_CANARY}-1"}) { success } }`,
      {
        token: admin,
      },
    );
    await api.gql('mutation($v: JSON!) { set_secret(input: {name: "B", value: $v}) { success } }', {
      token: api.acme.tokens.USER,
      variables: { v: { password: `${VALUE_CANARY}-2` } },
    });
    for (const query of [
      '{ secretValue(name: "A") }',
      '{ secret_value(name: "B") }',
      '{ secretValues(names: ["A", "B"]) }',
    ]) {
      const read = await api.gql(query, { token: runner });
      expect(read.raw).toContain(VALUE_CANARY);
    }
    await api.app.inject({
      method: "GET",
      url: `/graphql?${new URLSearchParams({ query: '{ secretValue(name: "A") }', variables: JSON.stringify({ unused: VALUE_CANARY }) })}`,
      headers: { authorization: `Bearer ${runner}` },
    });

    // Requests that fail while carrying a value or a token.
    await api.app.inject({
      method: "POST",
      url: "/graphql",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
      payload: `{"query": "mutation { setSecret(input: {name: \\"C\\", value: \\"${VALUE_CANARY}-3\\"}) { success } }"`,
    });
    await api.gql("mutation($input: SetSecretInput!) { setSecret(input: $input) { success } }", {
      token: admin,
      variables: { input: { name: "D", value: `${VALUE_CANARY}-4`, extra: `${VALUE_CANARY}-5` } },
    });
    await api.gql('mutation($v: JSON!) { setSecret(input: {name: "E", value: $v}) { success } }', {
      token: admin,
      variables: { v: `${VALUE_CANARY}-6${"x".repeat(70_000)}` },
    });
    await api.gql("{ secretNames }", { authorization: `Bearer ${admin}x!` });
    await api.gql("{ secretNames }", { authorization: `Token ${runner}` });
    await api.gql("{ secretNames }", { token: `hush_${"Q".repeat(43)}` });
    await api.gql('{ secretValue(name: "A") }', { token: api.acme.tokens.USER });

    // A token created through the API.
    const created = await api.gql(
      'mutation { createApiToken(input: {name: "ci", role: RUNNER}) { token } }',
      { token: admin },
    );
    newToken = fieldOf<{ token: string }>(created, "createApiToken").token;
    await api.gql("{ secretNames }", { token: newToken });

    // An unexpected failure inside the service, carrying a value in its arguments.
    const exploding = new Proxy(api.service, {
      get(target, property, receiver) {
        if (property === "setSecret") {
          return async (...args: Parameters<HushService["setSecret"]>) => {
            if (args[1] === NAME_OF_EXPLODING) throw new Error("the disk caught fire");
            return target.setSecret(...args);
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const app = await buildApp({ service: exploding, logger });
    const response = await app.inject({
      method: "POST",
      url: "/graphql",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
      payload: JSON.stringify({
        query:
          'mutation($v: JSON!) { setSecret(input: {name: "EXPLODES", value: $v}) { success } }',
        variables: { v: `${VALUE_CANARY}-7` },
      }),
    });
    maskedRequestId = String(response.headers["x-request-id"]);
    const body = response.json();
    expect(response.statusCode).toBe(200);
    expect(body.errors).toEqual([
      {
        message: `Unexpected error; the server log has the details under request id ${maskedRequestId}.`,
        locations: [{ line: 1, column: 23 }],
        path: ["setSecret"],
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId: maskedRequestId },
      },
    ]);
    expect(response.body).not.toContain("fire");
    await app.close();
  });
  afterAll(async () => {
    await api?.close();
  });

  it("writes JSON lines with a request id", () => {
    expect(lines.length).toBeGreaterThan(15);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const completed = parsed.filter((line) => line.msg === "request completed");
    expect(completed.length).toBeGreaterThan(10);
    for (const line of completed) expect(line.reqId).toEqual(expect.any(String));
  });

  it("never holds a secret value, at any level", () => {
    const leaking = lines.filter((line) => line.includes(VALUE_CANARY));
    expect(leaking).toEqual([]);
  });

  it("never holds an API token, at any level", () => {
    for (const token of [...tokens, newToken]) {
      // The random part alone, in case a prefix were stripped before logging.
      const secretPart = token.slice("hush_".length);
      expect(lines.filter((line) => line.includes(secretPart))).toEqual([]);
    }
    expect(lines.filter((line) => /hush_[A-Za-z0-9_-]{20,}/.test(line))).toEqual([]);
  });

  it("logs request paths without their query strings", () => {
    const urls = lines
      .map((line) => (JSON.parse(line) as { req?: { url?: string } }).req?.url)
      .filter((url) => url !== undefined);
    expect(urls).toContain("/graphql");
    expect(urls.filter((url) => url.includes("?"))).toEqual([]);
  });

  it("logs an unexpected error at error level, with its stack, under the request id it answered with", () => {
    const logged = lines
      .map(
        (line) =>
          JSON.parse(line) as {
            reqId?: string;
            level: number;
            path?: unknown;
            err?: { message?: string; stack?: string };
          },
      )
      .filter((line) => line.reqId === maskedRequestId && line.level === 50);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.err?.message).toBe("the disk caught fire");
    expect(logged[0]?.err?.stack).toMatch(/at /);
    expect(logged[0]?.path).toEqual(["setSecret"]);
  });

  it("kept serving throughout", async () => {
    const response = await api.gql("{ secretNames }", { token: api.acme.tokens.READ_ONLY_USER });
    expect(codes(response)).toEqual([]);
    expect(fieldOf<string[]>(response, "secretNames")).toEqual(["A", "B"]);
  });
});
