import { Secret } from "@hush/core";
import { expectNoLeak as expectNoLeakOf, rejection } from "@hush/test-support";
import { describe, it } from "vitest";
import { startRealServer } from "../support/real-server.js";
import { useCloud } from "../support/use-cloud.js";

const VALUE = "canary-value-4d1f9a";

const expectNoLeak = (error: unknown, token: string) => expectNoLeakOf(error, VALUE, token);

describe("@hush/core's errors from the real server carry no value and no token", () => {
  it("server misses, with other values in the same request", async () => {
    const server = await startRealServer({ secrets: { A: VALUE } });
    useCloud(server.url, server.tokens.RUNNER);
    expectNoLeak(await rejection(new Secret("MISSING").get()), server.tokens.RUNNER);
    expectNoLeak(await rejection(Secret.getMany(["A", "MISSING"])), server.tokens.RUNNER);
  });

  it("refused tokens: a role that may not read, and a token the server does not know", async () => {
    const server = await startRealServer({ secrets: { A: VALUE } });
    const reader = server.tokens.READ_ONLY_USER;
    useCloud(server.url, reader);
    expectNoLeak(await rejection(new Secret("A").get()), reader);
    const unknown = `hush_${"c".repeat(43)}`;
    useCloud(server.url, unknown);
    expectNoLeak(await rejection(new Secret("A").get()), unknown);
    expectNoLeak(await rejection(new Secret("A").exists()), unknown);
  });
});
