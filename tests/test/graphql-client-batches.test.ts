import { createClient } from "@hush/graphql";
import { describe, expect, it } from "vitest";
import { startRealServer } from "../support/real-server.js";

// 10 values of 20 kB: 200 kB, past a budget of 100 kB per request.
const BUDGET = 100_000;
const values = Object.fromEntries(
  Array.from({ length: 10 }, (_, i) => [`BIG_${i}`, `${i}`.repeat(20_000)]),
);

describe("@hush/graphql's secretValues past what one request may read", () => {
  it("reads every secret in batches that fit, after the one round trip is refused", async () => {
    const server = await startRealServer({ maxRequestValueBytes: BUDGET, secrets: values });
    const client = createClient({ endpoint: server.url, apiKey: server.tokens.RUNNER });
    expect(await client.secretValues()).toEqual(values);
    const fields = server.requests.map((request) => request.fields.join());
    // The refused one, the names, then batches: each under the budget, so at least three.
    expect(fields.slice(0, 2)).toEqual(["secretValues", "secretNames"]);
    expect(fields.length).toBeGreaterThanOrEqual(5);
    expect(fields.slice(2).every((field) => field === "secretValues")).toBe(true);
  });

  it("reads named secrets the same way", async () => {
    const server = await startRealServer({ maxRequestValueBytes: BUDGET, secrets: values });
    const client = createClient({ endpoint: server.url, apiKey: server.tokens.RUNNER });
    const names = Object.keys(values).slice(2);
    expect(await client.secretValues(names)).toEqual(
      Object.fromEntries(names.map((name) => [name, values[name]])),
    );
    expect(server.requests.some((request) => request.fields.includes("secretNames"))).toBe(false);
  });

  it("keeps one round trip when everything fits", async () => {
    const server = await startRealServer({ secrets: values });
    const client = createClient({ endpoint: server.url, apiKey: server.tokens.RUNNER });
    expect(await client.secretValues()).toEqual(values);
    expect(server.requests).toHaveLength(1);
  });

  it("reads a tenant of more than 1000 secrets", async () => {
    const many = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`S_${i}`, i]));
    const server = await startRealServer();
    // At most 1000 are set in one call.
    const entries = Object.entries(many);
    await server.setSecrets(Object.fromEntries(entries.slice(0, 500)));
    await server.setSecrets(Object.fromEntries(entries.slice(500)));
    const client = createClient({ endpoint: server.url, apiKey: server.tokens.RUNNER });
    expect(await client.secretValues()).toEqual(many);
  });

  it("reads values as large as the budget, one per request", async () => {
    const server = await startRealServer({ maxRequestValueBytes: 65_536 });
    await server.setSecrets({ ONE: "x".repeat(60_000), TWO: "y".repeat(60_000) });
    const client = createClient({ endpoint: server.url, apiKey: server.tokens.RUNNER });
    expect(Object.keys(await client.secretValues())).toEqual(["ONE", "TWO"]);
  });
});
