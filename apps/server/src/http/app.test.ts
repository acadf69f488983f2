import { describe, expect, it, vi } from "vitest";
import type { Caller, SecretsService } from "../service/contract.js";
import { buildApp } from "./app.js";

const TOKEN = `hush_${"T".repeat(43)}`;
const CALLER: Caller = {
  tenantId: "t1",
  tenantName: "acme",
  tokenId: "k1",
  tokenName: "ci",
  role: "RUNNER",
};

/** A stand-in for the domain: just enough of it for the transport's own behaviour. */
function fakeService(overrides: Partial<SecretsService> = {}): SecretsService {
  return {
    authenticate: vi.fn(async (token: string) => (token === TOKEN ? CALLER : undefined)),
    secretNames: vi.fn(async () => ["A", "B"]),
    ready: vi.fn(async () => {}),
    ...overrides,
  } as unknown as SecretsService;
}

const post = (query: string, headers: Record<string, string> = {}) => ({
  method: "POST" as const,
  url: "/graphql",
  headers: { "content-type": "application/json", ...headers },
  payload: JSON.stringify({ query }),
});

describe("buildApp", () => {
  it("asks the service who the caller is only when a token is sent", async () => {
    const service = fakeService();
    const app = await buildApp({ service, logger: false });
    const anonymous = await app.inject(post("{ __typename }"));
    expect(anonymous.json()).toEqual({ data: { __typename: "Query" } });
    expect(service.authenticate).not.toHaveBeenCalled();
    const known = await app.inject(post("{ secretNames }", { authorization: `Bearer ${TOKEN}` }));
    expect(known.json()).toEqual({ data: { secretNames: ["A", "B"] } });
    expect(service.authenticate).toHaveBeenCalledWith(TOKEN);
    expect(service.secretNames).toHaveBeenCalledWith(CALLER, undefined);
    await app.close();
  });

  it("answers 500 with a masked error when authentication itself fails (an outage)", async () => {
    const service = fakeService({
      authenticate: async () => {
        throw new Error("database unreachable");
      },
    });
    const app = await buildApp({ service, logger: false });
    const response = await app.inject(
      post("{ secretNames }", { authorization: `Bearer ${TOKEN}` }),
    );
    const id = response.headers["x-request-id"];
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      errors: [
        {
          message: `Unexpected error; the server log has the details under request id ${id}.`,
          extensions: { code: "INTERNAL_SERVER_ERROR", requestId: id },
        },
      ],
    });
    await app.close();
  });

  it("serves /healthz, and /readyz by whether the database answers", async () => {
    let up = true;
    const service = fakeService({
      ready: async () => {
        if (!up) throw new Error("no database");
      },
    });
    const app = await buildApp({ service, logger: false });
    expect((await app.inject({ method: "GET", url: "/healthz" })).json()).toEqual({ status: "ok" });
    const ready = await app.inject({ method: "GET", url: "/readyz" });
    expect([ready.statusCode, ready.json()]).toEqual([200, { status: "ok" }]);
    up = false;
    const down = await app.inject({ method: "GET", url: "/readyz" });
    expect([down.statusCode, down.json()]).toEqual([503, { status: "unavailable" }]);
    const health = await app.inject({ method: "GET", url: "/healthz" });
    expect(health.statusCode).toBe(200);
    await app.close();
  });

  it("takes its body limit from the options", async () => {
    const app = await buildApp({ service: fakeService(), logger: false, bodyLimit: 100 });
    const response = await app.inject(post(`{ __typename ${" ".repeat(200)}}`));
    expect(response.statusCode).toBe(413);
    expect(response.json().errors[0].message).toMatch(/limit is 100 bytes/);
    await app.close();
  });

  it("does not close the service when it closes", async () => {
    const close = vi.fn(async () => {});
    const app = await buildApp({ service: fakeService({ close }), logger: false });
    await app.close();
    expect(close).not.toHaveBeenCalled();
  });

  it("sets the HTTP server's timeouts and connection cap, with safe defaults", async () => {
    const defaults = await buildApp({ service: fakeService(), logger: false });
    expect(defaults.server.requestTimeout).toBe(30_000);
    expect(defaults.server.headersTimeout).toBe(10_000);
    expect(defaults.server.keepAliveTimeout).toBe(72_000);
    expect(defaults.server.timeout).toBe(60_000);
    expect(defaults.server.maxConnections).toBe(1000);
    const set = await buildApp({
      service: fakeService(),
      logger: false,
      requestTimeoutMs: 5000,
      headersTimeoutMs: 2000,
      keepAliveTimeoutMs: 1000,
      connectionTimeoutMs: 0,
      maxConnections: 0,
      maxRequestsPerSocket: 7,
    });
    expect(set.server.requestTimeout).toBe(5000);
    expect(set.server.headersTimeout).toBe(2000);
    expect(set.server.keepAliveTimeout).toBe(1000);
    expect(set.server.timeout).toBe(0);
    expect(set.server.maxRequestsPerSocket).toBe(7);
    await Promise.all([defaults.close(), set.close()]);
  });

  it.each([
    [{ requestTimeoutMs: -1 }, /requestTimeoutMs must be a whole number/],
    [{ maxConnections: 1.5 }, /maxConnections must be a whole number/],
    [{ headersTimeoutMs: 0 }, /must be 1 or more/],
    [{ requestTimeoutMs: 1000, headersTimeoutMs: 2000 }, /must not be longer than the request/],
  ])("refuses HTTP limits %j", async (limits, message) => {
    await expect(buildApp({ service: fakeService(), logger: false, ...limits })).rejects.toThrow(
      message,
    );
  });
});
