import { createClient, isApiError, type TokenProvider } from "@hush/graphql";
import { rejection } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { clientOf } from "../support/graphql-client.js";
import { startRealServer } from "../support/real-server.js";

/** A provider handing out `tokens` in turn, moving on only when told the current one was refused. */
function providerOf(tokens: readonly string[]) {
  let index = 0;
  const seen = { asked: 0, refused: [] as string[] };
  const provider: TokenProvider = {
    async token() {
      seen.asked++;
      return tokens[index] ?? "";
    },
    refused(token) {
      seen.refused.push(token);
      if (index + 1 >= tokens.length) return false;
      index++;
      return true;
    },
  };
  return { provider, seen };
}

describe("a client whose token comes from a provider", () => {
  it("asks the provider before each request", async () => {
    const server = await startRealServer({ secrets: { A: 1 } });
    const { provider, seen } = providerOf([server.tokens.RUNNER]);
    const client = clientOf(server, { apiKey: "", tokenProvider: provider });
    expect(await client.secretValue("A")).toBe(1);
    expect(await client.secretNames()).toEqual(["A"]);
    expect(seen).toEqual({ asked: 2, refused: [] });
  });

  it("sends a refused request once more with the provider's new token", async () => {
    const server = await startRealServer({ secrets: { A: 1 } });
    const stale = `hush_${"x".repeat(43)}`;
    const { provider, seen } = providerOf([stale, server.tokens.RUNNER]);
    const client = clientOf(server, { apiKey: "", tokenProvider: provider });
    expect(await client.secretValue("A")).toBe(1);
    expect(seen.refused).toEqual([stale]);
    expect(seen.asked).toBe(2);
  });

  it("gives up after one new token, and the error never shows a token", async () => {
    const server = await startRealServer({ secrets: { A: 1 } });
    const first = `hush_${"a".repeat(43)}`;
    const second = `hush_${"b".repeat(43)}`;
    const { provider, seen } = providerOf([first, second, server.tokens.RUNNER]);
    const client = clientOf(server, { apiKey: "", tokenProvider: provider });
    const error = await rejection(client.secretValue("A"));
    expect(isApiError(error, "UNAUTHENTICATED")).toBe(true);
    expect(seen.refused).toEqual([first, second]);
    expect(error.message).not.toContain(first);
    expect(error.message).not.toContain(second);
  });

  it("refuses apiKey and tokenProvider together", () => {
    const { provider } = providerOf(["hush_x"]);
    const endpoint = "http://127.0.0.1:1";
    expect(() => createClient({ endpoint, apiKey: "hush_y", tokenProvider: provider })).toThrow(
      /apiKey or tokenProvider, not both/,
    );
  });
});
