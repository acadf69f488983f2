import { configure, resetConfiguration, Secret } from "@hush/core";
import { createClient } from "@hush/graphql";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startRealServer } from "../support/real-server.js";
import { useCloud } from "../support/use-cloud.js";

// A pass-through spy: counts the clients @hush/core makes, which still talk to the server.
vi.mock("@hush/graphql", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@hush/graphql")>();
  return { ...actual, createClient: vi.fn(actual.createClient) };
});

afterEach(resetConfiguration);

describe("@hush/core's client of the real server", () => {
  it("is created once per configuration, from [cloud] endpoint and api_key", async () => {
    const server = await startRealServer({ secrets: { A: "a" } });
    const { options } = useCloud(server.url, server.tokens.RUNNER);
    vi.mocked(createClient).mockClear();
    for (let i = 0; i < 12; i++) await new Secret("A").get();
    await new Secret("A").exists();
    await Secret.getMany(["A"]);
    expect(createClient).toHaveBeenCalledTimes(1);
    expect(createClient).toHaveBeenCalledWith(
      expect.objectContaining({ endpoint: server.url, apiKey: server.tokens.RUNNER }),
    );
    configure(options);
    await new Secret("A").get();
    expect(createClient).toHaveBeenCalledTimes(2);
  });
});
