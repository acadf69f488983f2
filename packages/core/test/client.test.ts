import { createClient } from "@hush/graphql";
import { afterEach, describe, expect, it, vi } from "vitest";
import { resetConfiguration, Secret } from "../src/index.js";
import { useConfig } from "./helpers.js";

// A pass-through spy: counts the clients @hush/core makes. The test against the real server is in
// the integration tests (tests/test/core-client.test.ts).
vi.mock("@hush/graphql", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@hush/graphql")>();
  return { ...actual, createClient: vi.fn(actual.createClient) };
});

afterEach(resetConfiguration);

describe("the client", () => {
  it("is not created while secrets are local", async () => {
    useConfig(`[context.secrets]\nA = "a"\n`);
    vi.mocked(createClient).mockClear();
    await new Secret("A").get();
    await new Secret("B").exists();
    expect(createClient).not.toHaveBeenCalled();
  });

  it("configure({ client }) uses the given client", async () => {
    const calls: string[] = [];
    useConfig(
      "",
      { HUSH__CLOUD__USE_LOCAL_SECRETS: "false" },
      {
        client: {
          secretValue: async (name) => {
            calls.push(name);
            return '{"from":"custom"}';
          },
          secretValues: async () => ({}),
          secretNames: async () => [],
        },
      },
    );
    vi.mocked(createClient).mockClear();
    expect(await new Secret("X").get()).toEqual({ from: "custom" });
    expect(calls).toEqual(["X"]);
    expect(createClient).not.toHaveBeenCalled();
  });
});
