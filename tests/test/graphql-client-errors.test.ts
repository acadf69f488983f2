import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { isHushError } from "@hush/errors";
import { ApiError, createClient, isApiError, TransportError } from "@hush/graphql";
import { permissions, type RoleName } from "@hush/schema";
import { closedEndpoint, rejection } from "@hush/test-support";
import { parse } from "graphql";
import { describe, expect, it } from "vitest";
import { clientOf, FAST } from "../support/graphql-client.js";
import { startRealServer } from "../support/real-server.js";

describe("ApiError", () => {
  it("is a HushError with the server's code, operation, endpoint and extensions", async () => {
    const server = await startRealServer({ tenant: "acme", secrets: { A: 1 } });
    const client = clientOf(server, { apiKey: server.tokens.RUNNER });
    const error = await rejection(client.secretValue("MISSING"));
    expect(error).toBeInstanceOf(ApiError);
    expect(isHushError(error, "NOT_FOUND")).toBe(true);
    expect(error).toMatchObject({
      name: "ApiError",
      code: "NOT_FOUND",
      message:
        'No value found for the requested key: the secret MISSING was not found in tenant "acme".',
      operationName: "SecretValue",
      endpoint: `${server.url}/graphql`,
      status: 200,
      path: ["secretValue"],
      extensions: { code: "NOT_FOUND" },
    });
  });

  it("lists the missing names of secretValues in extensions.names", async () => {
    const server = await startRealServer({ secrets: { A: 1 } });
    const client = clientOf(server, { apiKey: server.tokens.RUNNER });
    const error = (await rejection(client.secretValues(["A", "B", "C"]))) as ApiError;
    expect(error.code).toBe("NOT_FOUND");
    expect(error.extensions).toEqual({ code: "NOT_FOUND", tenant: "acme", names: ["B", "C"] });
  });

  it("says how to give it a token when none is set, in the client's own terms", async () => {
    const server = await startRealServer();
    const error = await rejection(clientOf(server, { apiKey: "" }).secretNames());
    expect(error).toMatchObject({ code: "UNAUTHENTICATED", operationName: "SecretNames" });
    expect(error.message).toMatch(/none is set/);
    expect(error.message).toContain("apiKey");
    expect(error.message).toContain("hush-server token create");
    expect(error.message).toContain("createApiToken");
    // Where a program keeps its token is that program's to say.
    expect(error.message).not.toContain("config.toml");
    expect(error.message).not.toContain("HUSH__CLOUD__");
    expect(isApiError(error, "UNAUTHENTICATED") && error.extensions.reason).toBe("missing");
  });

  it("says the token is invalid when the server does not know it", async () => {
    const server = await startRealServer();
    const error = await rejection(clientOf(server, { apiKey: "hush_unknown" }).secretNames());
    expect(error).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(error.message).toMatch(/rejected the API token .*invalid, revoked or expired/);
    expect(error.message).not.toContain("HUSH__CLOUD__");
    // "hush_unknown" is too short to be a bearer token at all.
    expect(isApiError(error, "UNAUTHENTICATED") && error.extensions.reason).toBe("malformed");
  });

  it("keeps the server's FORBIDDEN message, which names the roles needed", async () => {
    const server = await startRealServer({ secrets: { A: 1 } });
    const error = await rejection(
      clientOf(server, { apiKey: server.tokens.USER }).secretValue("A"),
    );
    expect(error).toMatchObject({
      code: "FORBIDDEN",
      message:
        "Reading secret values needs the TENANT_ADMIN or RUNNER role; this token has the USER " +
        "role. Ask a tenant admin for a token with the TENANT_ADMIN or RUNNER role.",
    });
    // The fields arrive typed, as @hush/schema defines them for the code.
    if (!isApiError(error, "FORBIDDEN")) throw error;
    const required: readonly RoleName[] | undefined = error.extensions.requiredRoles;
    const tenant: string | undefined = error.extensions.tenant;
    expect(required).toEqual(permissions.readValues.roles);
    expect(tenant).toBe("acme");
    expect(error.extensions).toMatchObject({ role: "USER", permission: "readValues" });
    expect(isApiError(error, "NOT_FOUND")).toBe(false);
    const write = await rejection(
      clientOf(server, { apiKey: server.tokens.READ_ONLY_USER }).setSecret("A", 2),
    );
    expect(write.message).toContain("TENANT_ADMIN or USER");
  });

  it("passes BAD_USER_INPUT through with the server's rule", async () => {
    const server = await startRealServer();
    const error = await rejection(clientOf(server).setSecret(".hidden", 1));
    expect(error).toMatchObject({ code: "BAD_USER_INPUT", operationName: "SetSecret" });
    expect(error.message).toBe(
      'The secret name starts with ".": names use only letters, digits, "_", "." and "-", ' +
        'are 1 to 255 characters long and do not start with ".".',
    );
  });

  it("says client and server disagree when a document does not validate", async () => {
    const server = await startRealServer();
    const document = parse("query Old { secretNames removedField }") as TypedDocumentNode<
      unknown,
      Record<string, never>
    >;
    const error = await rejection(clientOf(server).request(document));
    expect(error).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED", operationName: "Old" });
    expect(error.message).toMatch(/removedField/);
    expect(error.message).toMatch(/update @hush\/graphql and hush-server/);
  });

  it("uses UNKNOWN for an error without a code, and keeps every error", async () => {
    const server = await startRealServer();
    server.failNext(1, {
      body: JSON.stringify({
        data: null,
        errors: [{ message: "first" }, { message: "second", extensions: { code: "X" } }],
      }),
    });
    const error = (await rejection(clientOf(server).secretNames())) as ApiError;
    expect(error.code).toBe("UNKNOWN");
    expect(error.message).toBe("first");
    expect(error.errors.map((e) => e.extensions.code)).toEqual(["UNKNOWN", "X"]);
  });

  it("maps HTTP 401 and 403 without a GraphQL body to UNAUTHENTICATED and FORBIDDEN", async () => {
    const server = await startRealServer();
    const client = clientOf(server);
    server.failNext(1, { status: 401 });
    const unauthenticated = await rejection(client.secretNames());
    expect(unauthenticated).toBeInstanceOf(ApiError);
    expect(unauthenticated).toMatchObject({ code: "UNAUTHENTICATED", status: 401 });
    expect(unauthenticated.message).toContain("apiKey");
    server.failNext(1, { status: 403, body: "<html>Forbidden by proxy</html>" });
    const forbidden = await rejection(client.secretNames());
    expect(forbidden).toMatchObject({ code: "FORBIDDEN", status: 403 });
    expect(forbidden.message).toMatch(/HTTP 403/);
    expect(server.requests).toHaveLength(2);
  });
});

describe("TransportError", () => {
  it("NETWORK: names the endpoint and the cause, and says to start the server", async () => {
    const endpoint = await closedEndpoint();
    const client = createClient({ endpoint, ...FAST, retries: 2 });
    const error = await rejection(client.secretNames());
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({
      name: "TransportError",
      code: "NETWORK",
      endpoint: `${endpoint}/graphql`,
      operationName: "SecretNames",
      attempts: 3,
    });
    expect(error.message).toContain(`${endpoint}/graphql`);
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.message).toContain(`Is hush-server running at ${endpoint}?`);
    expect(error.message).toContain("hush-server start");
    expect(error.cause).toBeInstanceOf(Error);
  });

  it("NETWORK: a connection dropped before the answer", async () => {
    const server = await startRealServer();
    server.failNext(1, { destroy: true });
    const error = await rejection(clientOf(server, { retries: 0 }).secretNames());
    expect(error).toMatchObject({ code: "NETWORK", attempts: 1 });
  });

  it("TIMEOUT: an attempt that takes longer than timeoutMs", async () => {
    const server = await startRealServer();
    server.failNext(1, { delayMs: 2_000 });
    const error = await rejection(clientOf(server, { timeoutMs: 50, retries: 0 }).secretNames());
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: "TIMEOUT", attempts: 1 });
    expect(error.message).toMatch(/did not answer SecretNames within 50 ms/);
    expect(error.message).toContain("hush-server start");
  });

  it("BAD_RESPONSE: an answer that is not JSON, or not a GraphQL result", async () => {
    const server = await startRealServer();
    const client = clientOf(server);
    server.failNext(1, { body: "<html>a web page</html>" });
    const html = await rejection(client.secretNames());
    expect(html).toMatchObject({ code: "BAD_RESPONSE", status: 200 });
    expect(html.message).toMatch(/not a hush GraphQL response \(HTTP 200, text\/plain/);
    expect(html.message).toContain("[cloud] endpoint");
    server.failNext(1, { body: "{not json", contentType: "application/json" });
    expect(await rejection(client.secretNames())).toMatchObject({ code: "BAD_RESPONSE" });
    server.failNext(1, { body: JSON.stringify({ data: { somethingElse: 1 } }) });
    expect(await rejection(client.secretNames())).toMatchObject({ code: "BAD_RESPONSE" });
    server.failNext(1, { body: JSON.stringify({ data: null }) });
    expect(await rejection(client.secretNames())).toMatchObject({ code: "BAD_RESPONSE" });
    server.failNext(1, { body: JSON.stringify({ data: { secretValues: [1] } }) });
    expect(await rejection(client.secretValues(["A"]))).toMatchObject({ code: "BAD_RESPONSE" });
    expect(server.requests).toHaveLength(5);
  });

  it("HTTP_ERROR: an error status without a GraphQL error", async () => {
    const server = await startRealServer();
    server.failNext(1, { status: 404, body: "Not Found" });
    const error = await rejection(clientOf(server).secretNames());
    expect(error).toMatchObject({ code: "HTTP_ERROR", status: 404, attempts: 1 });
    expect(error.message).toMatch(/answered SecretNames with HTTP 404 Not Found/);
  });
});

describe("bad options", () => {
  it("throws a HushError at once for an invalid endpoint", () => {
    expect(() => createClient({ endpoint: "localhost 4200" })).toThrow(
      expect.objectContaining({ code: "INVALID_ENDPOINT" }),
    );
  });

  it("rejects an API key that cannot be a header, without quoting it", () => {
    let error: unknown;
    try {
      createClient({ endpoint: "http://127.0.0.1:4200", apiKey: "hush_canary\nsecond line" });
    } catch (caught) {
      error = caught;
    }
    expect(isHushError(error, "INVALID_API_KEY")).toBe(true);
    expect(String(error)).not.toContain("canary");
  });

  it.each([
    { timeoutMs: 0 },
    { timeoutMs: Number.NaN },
    { retries: -1 },
    { retries: 1.5 },
    { backoff: { baseMs: -1 } },
  ])("rejects %j", (options) => {
    expect(() => createClient({ endpoint: "http://127.0.0.1:4200", ...options })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTION" }),
    );
  });
});
