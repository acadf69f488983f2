import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, openApi } from "./api-support.js";
import { testBackends } from "./support/backends.js";

const sqlite = testBackends().find((backend) => backend.name === "sqlite")!;

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
