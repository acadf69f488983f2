import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import {
  type ApiError,
  createClient,
  SecretNamesDocument,
  type SecretNamesQuery,
  type SecretValueQuery,
  type SecretValueQueryVariables,
  SetSecretDocument,
} from "@hush/graphql";
import { rejection } from "@hush/test-support";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { clientOf } from "../support/graphql-client.js";
import { startRealServer } from "../support/real-server.js";

describe("@hush/graphql's createClient against the real hush-server", () => {
  it("sets, reads and deletes secrets of any JSON type", async () => {
    const server = await startRealServer();
    const client = clientOf(server);
    const values: Array<[string, unknown]> = [
      ["STRING", "VALUE"],
      ["NUMBER", 42],
      ["BOOLEAN", false],
      ["OBJECT", { user: "a", password: "b", nested: [1, { x: null }] }],
      ["ARRAY", ["a", 1, true]],
      ["JSON_TEXT", '{"a":1}'],
    ];
    for (const [name, value] of values) {
      expect(await client.setSecret(name, value)).toEqual({ success: true, version: 1 });
    }
    for (const [name, value] of values) expect(await client.secretValue(name)).toEqual(value);
    expect(await client.setSecret("STRING", "again")).toEqual({ success: true, version: 2 });
    expect(await client.deleteSecret("NUMBER")).toEqual({ success: true });
    expect(await client.secretNames()).toEqual([
      "ARRAY",
      "BOOLEAN",
      "JSON_TEXT",
      "OBJECT",
      "STRING",
    ]);
    expect(await client.secretValue("STRING")).toBe("again");
  });

  it("reads several values in one round trip", async () => {
    const server = await startRealServer({ secrets: { A: 1, B: { b: true }, C: "c" } });
    const client = clientOf(server, { apiKey: server.tokens.RUNNER });
    expect(await client.secretValues(["C", "A"])).toEqual({ C: "c", A: 1 });
    expect(server.requests.map((r) => r.fields)).toEqual([["secretValues"]]);
    expect(await client.secretValues()).toEqual({ A: 1, B: { b: true }, C: "c" });
    expect(server.requests.map((r) => r.fields)).toEqual([["secretValues"], ["secretValues"]]);
  });

  it("rolls back and lists versions, newest first", async () => {
    const server = await startRealServer({ secrets: { A: "one" } });
    const client = clientOf(server, { apiKey: server.tokens.USER });
    await client.setSecret("A", "two");
    expect(await client.rollbackSecret("A", 1)).toEqual({ success: true, version: 3 });
    expect(await clientOf(server).secretValue("A")).toBe("one");
    const versions = await client.secretVersions("A");
    expect(versions.map((v) => [v.version, v.createdBy, v.hasValue, v.deleted])).toEqual([
      [3, "user", true, false],
      [2, "user", true, false],
      [1, "admin", true, false],
    ]);
    expect(Date.parse(versions[0]!.created)).not.toBeNaN();
  });

  it("lists metadata with where, orderBy, limit and offset", async () => {
    const server = await startRealServer({ secrets: { db_a: 1, db_b: 2, api: 3 } });
    const client = clientOf(server, { apiKey: server.tokens.READ_ONLY_USER });
    expect((await client.secrets()).map((s) => s.name)).toEqual(["api", "db_a", "db_b"]);
    const page = await client.secrets({
      where: { name: { _like: "db_%" } },
      orderBy: [{ name: "desc" }],
      limit: 1,
      offset: 1,
    });
    expect(page).toEqual([
      {
        name: "db_a",
        version: 1,
        created: expect.any(String),
        updated: expect.any(String),
        updatedBy: "admin",
      },
    ]);
  });

  it("creates, lists and revokes API tokens; says who is calling", async () => {
    const server = await startRealServer({ tenant: "acme" });
    const admin = clientOf(server);
    const expiresAt = new Date(Date.now() + 3_600_000);
    const created = await admin.createApiToken({ name: "ci", role: "RUNNER", expiresAt });
    expect(created.token).toMatch(/^hush_/);
    expect(created.apiToken).toMatchObject({
      id: created.id,
      name: "ci",
      role: "RUNNER",
      expiresAt: expiresAt.toISOString(),
      revokedAt: null,
    });
    const ci = clientOf(server, { apiKey: created.token });
    expect(await ci.me()).toEqual({
      tenant: { id: expect.any(String), name: "acme" },
      role: "RUNNER",
      tokenId: created.id,
      tokenName: "ci",
      // Not scoped: every environment, and requests without one use the tenant's default.
      environment: "production",
      environments: null,
    });
    expect((await admin.apiTokens()).map((t) => t.name)).toContain("ci");
    expect(await admin.revokeApiToken(created.id)).toEqual({ success: true });
    expect((await rejection(ci.me())) as ApiError).toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("reads the audit log, filtered and paged", async () => {
    const server = await startRealServer({ secrets: { A: 1, B: 2 } });
    const runner = clientOf(server, { apiKey: server.tokens.RUNNER });
    await runner.secretValue("A");
    await runner.secretValue("B");
    await runner.secretValue("A");
    const admin = clientOf(server);
    const events = await admin.auditEvents({ name: "A", limit: 5 });
    const reads = events.filter((e) => e.action === "READ_SECRET_VALUE");
    // The same token reading the same version in the same minute is counted on one event.
    expect(reads.reduce((sum, e) => sum + e.count, 0)).toBe(2);
    expect(reads.every((e) => e.secretName === "A" && e.actor === "runner")).toBe(true);
    expect(events.at(-1)).toMatchObject({ action: "SET_SECRET", secretName: "A", count: 1 });
    // Four token creations, two writes and the reads.
    const all = await admin.auditEvents();
    expect(all.reduce((sum, e) => sum + e.count, 0)).toBe(9);
    expect(await admin.auditEvents({ offset: 2 })).toEqual(all.slice(2));
  });

  it("sends any typed document through request()", async () => {
    const server = await startRealServer({ secrets: { A: 1 } });
    const client = clientOf(server);
    const names: SecretNamesQuery = await client.request(SecretNamesDocument);
    expect(names).toEqual({ secretNames: ["A"] });
    await client.request(SetSecretDocument, { name: "B", value: [1] });
    const custom = parse(
      "query Both($name: String!) { one: secretValue(name: $name) other: secret_value(name: $name) }",
    ) as TypedDocumentNode<
      SecretValueQuery & { one: unknown; other: unknown },
      SecretValueQueryVariables
    >;
    expect(await client.request(custom, { name: "B" })).toEqual({ one: [1], other: [1] });
    expect(server.requests.map((r) => r.operationName)).toEqual([
      "SecretNames",
      "SetSecret",
      "Both",
    ]);
    // Variables are required exactly when the operation has required ones; the server agrees.
    // @ts-expect-error SetSecret needs its name and value
    const missing = await rejection(client.request(SetSecretDocument));
    expect(missing).toMatchObject({ code: "BAD_USER_INPUT" });
  });

  it("sends the token as a bearer header, and no header without one", async () => {
    const server = await startRealServer();
    const admin = server.tokens.TENANT_ADMIN;
    const anonymous = await rejection(clientOf(server, { apiKey: "" }).secretNames());
    expect(anonymous).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await clientOf(server, { apiKey: `  ${admin}\n` }).me()).toMatchObject({
      tokenName: "admin",
    });
    expect(server.requests.map((r) => r.authorization)).toEqual([false, true]);
  });

  it("posts to <endpoint>/graphql, or to an endpoint that already ends in /graphql", async () => {
    const server = await startRealServer({ secrets: { A: 1 } });
    for (const endpoint of [server.url, `${server.url}/`, `${server.url}/graphql`]) {
      const client = createClient({ endpoint, apiKey: server.tokens.TENANT_ADMIN });
      expect(client.url).toBe(`${server.url}/graphql`);
      expect(await client.secretNames()).toEqual(["A"]);
    }
  });

  it("keeps connections alive over several requests", async () => {
    const server = await startRealServer({ secrets: { A: 1 } });
    const client = clientOf(server, { apiKey: server.tokens.RUNNER });
    for (let i = 0; i < 20; i++) await client.secretValue("A");
    // fetch may open a second socket while the first returns to its pool; never one per request.
    expect(server.requests).toHaveLength(20);
    expect(server.connections).toBeLessThanOrEqual(2);
  });
});
