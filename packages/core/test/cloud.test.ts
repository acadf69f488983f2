import { createClient } from "@hush/graphql";
import { closedEndpoint, rejection } from "@hush/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { HushError, resetConfiguration, Secret, SecretServerError } from "../src/index.js";
import { useConfig } from "./helpers.js";

// How Secret reports what its client could not do. The same behaviour against the real
// hush-server is tested in the integration tests (tests/test/core-cloud.test.ts).

afterEach(resetConfiguration);

describe("server errors without a server", () => {
  it("does throw when the server cannot be reached", async () => {
    useUnreachable(await closedEndpoint());
    const error = await rejection(new Secret("X").exists());
    expect(error).toBeInstanceOf(SecretServerError);
    expect(error.message).toContain("list secret names");
  });

  it("an unreachable server: names the endpoint, keeps the cause, suggests local secrets", async () => {
    const endpoint = await closedEndpoint();
    useUnreachable(endpoint);
    const error = await rejection(new Secret("A").get());
    expect(error).toBeInstanceOf(SecretServerError);
    expect(error).toMatchObject({ code: "NETWORK", endpoint });
    expect(error.message).toContain(
      `Could not read secret "A" from the hush server at ${endpoint}`,
    );
    expect(error.message).toContain(
      "To use only local secrets instead, set HUSH__CLOUD__USE_LOCAL_SECRETS=true (or unset it).",
    );
    expect(error.cause).toBeInstanceOf(HushError);
  });

  it("a name the server rejects: BAD_INPUT with the server's rule", async () => {
    const rule = new HushError(
      "BAD_USER_INPUT",
      "Secret names may only contain A-Z, a-z, 0-9, _, . and -.",
    );
    useConfig(
      "",
      { HUSH__CLOUD__USE_LOCAL_SECRETS: "false" },
      {
        client: {
          secretValue: () => Promise.reject(rule),
          secretValues: () => Promise.reject(rule),
          secretNames: async () => [],
        },
      },
    );
    const error = await rejection(new Secret("a b").get());
    expect(error).toMatchObject({ code: "BAD_INPUT", cause: rule });
    expect(error.message).toContain("Secret names may only contain");
  });

  it("wraps an unexpected error of a custom client, keeping it as the cause", async () => {
    const cause = new TypeError("socket hang up");
    useConfig(
      "",
      { HUSH__CLOUD__USE_LOCAL_SECRETS: "false" },
      {
        client: {
          secretValue: () => Promise.reject(cause),
          secretValues: () => Promise.reject(cause),
          secretNames: () => Promise.reject(cause),
        },
      },
    );
    const error = await rejection(new Secret("A").get());
    expect(error).toMatchObject({ code: "SERVER_ERROR", cause });
    expect(error.message).toContain("TypeError");
  });
});

/** Configures a server at `endpoint` through the environment, with a client that does not retry. */
function useUnreachable(endpoint: string) {
  useConfig(
    "",
    { HUSH__CLOUD__USE_LOCAL_SECRETS: "false", HUSH__CLOUD__ENDPOINT: endpoint },
    { client: createClient({ endpoint, apiKey: "", retries: 0 }) },
  );
}
