import { createClient } from "@hush/graphql";
import { closedEndpoint, rejection } from "@hush/test-support";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { clientOf, FAST } from "../support/graphql-client.js";
import { startRealServer } from "../support/real-server.js";

describe("retries", () => {
  it("retries a query after HTTP 5xx answers, then succeeds", async () => {
    const server = await startRealServer({ secrets: { A: 1 } });
    server.failNext(2, { status: 503 });
    expect(await clientOf(server).secretNames()).toEqual(["A"]);
    expect(server.requests.map((r) => r.faulted)).toEqual([true, true, false]);
  });

  it("retries a query after a 5xx that carries a GraphQL error", async () => {
    const server = await startRealServer({ secrets: { A: 1 } });
    const body = JSON.stringify({
      errors: [{ message: "Unavailable", extensions: { code: "INTERNAL_SERVER_ERROR" } }],
    });
    server.failNext(1, { status: 500, body });
    expect(await clientOf(server).secretValue("A")).toBe(1);
    expect(server.requests).toHaveLength(2);
  });

  it("retries a query after a dropped connection and after a timeout", async () => {
    const server = await startRealServer({ secrets: { A: 1 } });
    server.failNext(1, { destroy: true });
    server.failNext(1, { delayMs: 10_000 });
    expect(await clientOf(server, { timeoutMs: 500 }).secretValue("A")).toBe(1);
    expect(server.requests).toHaveLength(3);
  });

  it("gives up after `retries` retries, saying how many attempts were made", async () => {
    const server = await startRealServer();
    server.failNext(10, { status: 502 });
    const error = await rejection(clientOf(server, { retries: 2 }).secretNames());
    expect(error).toMatchObject({ code: "HTTP_ERROR", status: 502, attempts: 3 });
    expect(error.message).toContain("tried 3 times");
    expect(server.requests).toHaveLength(3);
    server.requests.length = 0;
    await rejection(clientOf(server, { retries: 0 }).secretNames());
    expect(server.requests).toHaveLength(1);
  });

  it("waits a backoff between attempts, never sending one at once", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    // The jitter's middle: each wait is 3/4 of baseMs · 2^n (capped at maxMs).
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    onTestFinished(() => {
      vi.useRealTimers();
      vi.restoreAllMocks();
    });
    let calls = 0;
    const refused: typeof fetch = async () => {
      calls++;
      throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    };
    const client = createClient({
      endpoint: "http://127.0.0.1:4200",
      fetch: refused,
      retries: 2,
      backoff: { baseMs: 40_000, maxMs: 60_000 },
    });
    const result = rejection(client.secretNames());
    await vi.advanceTimersByTimeAsync(29_999);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1); // 3/4 of 40 s: 30 s
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(44_999);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(1); // 3/4 of 80 s capped at 60 s: 45 s
    expect(calls).toBe(3);
    expect(await result).toMatchObject({ code: "NETWORK", attempts: 3 });
  });

  it("retries 3 times by default", async () => {
    const server = await startRealServer();
    server.failNext(10, { status: 503 });
    const error = await rejection(createClient({ endpoint: server.url, ...FAST }).secretNames());
    expect(error).toMatchObject({ attempts: 4 });
    expect(server.requests).toHaveLength(4);
  });

  it("never retries an answer with a GraphQL error, or a 4xx", async () => {
    const server = await startRealServer({ secrets: { A: 1 } });
    await rejection(clientOf(server, { apiKey: server.tokens.USER }).secretValue("A"));
    server.failNext(1, { status: 429 });
    await rejection(clientOf(server).secretValue("A"));
    expect(server.requests).toHaveLength(2);
  });

  it("never sends a mutation again after a 5xx, a dropped connection or a timeout", async () => {
    const server = await startRealServer();
    const client = clientOf(server);
    server.failNext(1, { status: 503 });
    expect(await rejection(client.setSecret("A", 1))).toMatchObject({ code: "HTTP_ERROR" });
    server.failNext(1, { destroy: true });
    expect(await rejection(client.deleteSecret("A"))).toMatchObject({ code: "NETWORK" });
    // The server runs this one after the client gave up: sending it again would write twice.
    server.failNext(1, { delayMs: 1_000 });
    const impatient = clientOf(server, { timeoutMs: 200 });
    expect(await rejection(impatient.setSecret("B", "b"))).toMatchObject({ code: "TIMEOUT" });
    expect(server.requests.map((r) => r.operationName)).toEqual([
      "SetSecret",
      "DeleteSecret",
      "SetSecret",
    ]);
    await vi.waitFor(async () => expect(await server.valueOf("B")).toBe("b"), { timeout: 5_000 });
    expect(await client.secretVersions("B")).toHaveLength(1);
    expect(server.requests).toHaveLength(4);
    expect(await server.valueOf("A")).toBeUndefined();
  });

  it("sends a mutation again when the connection was refused, before anything was sent", async () => {
    const server = await startRealServer();
    const refused = await closedEndpoint();
    const targets: string[] = [];
    const flaky: typeof fetch = (input, init) => {
      // The first attempt goes to a port nothing listens on, as if the server were restarting.
      const url = targets.length === 0 ? `${refused}/graphql` : String(input);
      targets.push(url);
      return fetch(url, init);
    };
    const client = clientOf(server, { fetch: flaky });
    expect(await client.setSecret("A", 1)).toEqual({ success: true, version: 1 });
    expect(targets).toEqual([`${refused}/graphql`, `${server.url}/graphql`]);
    expect(server.requests).toHaveLength(1);
  });

  it("does not send a mutation again for a network error it cannot place", async () => {
    const server = await startRealServer();
    let calls = 0;
    const broken: typeof fetch = async () => {
      calls++;
      throw new TypeError("fetch failed", { cause: new Error("socket hang up") });
    };
    const error = await rejection(clientOf(server, { fetch: broken }).setSecret("A", 1));
    expect(error).toMatchObject({ code: "NETWORK", attempts: 1 });
    expect(error.message).toContain("socket hang up");
    expect(calls).toBe(1);
    calls = 0;
    await rejection(clientOf(server, { fetch: broken, retries: 2 }).secretNames());
    expect(calls).toBe(3);
  });
});
