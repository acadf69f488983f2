import { inspect } from "node:util";
import { createClient, type HushClient } from "@hush/graphql";
import { closedEndpoint, rejection } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { FAST } from "../support/graphql-client.js";
import { type RealServer, startRealServer } from "../support/real-server.js";

const VALUE = "canary-value-7f3a9c1e";
const NESTED = "canary-nested-0b5d2e88";
// The canary token is each test's real one; this one has the shape but was never issued.
const UNKNOWN_TOKEN = `hush_canary_unknown_${"5".repeat(24)}`;

/** Every way an error can be shown, joined. */
function everything(error: Error): string {
  return [
    error.message,
    error.stack,
    String(error),
    inspect(error, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    JSON.stringify(error),
    JSON.stringify(Object.values(error)),
  ].join("\n");
}

function expectClean(error: Error, token: string): void {
  const text = everything(error);
  for (const canary of [VALUE, NESTED, token, UNKNOWN_TOKEN]) expect(text).not.toContain(canary);
  expect(error).not.toHaveProperty("request");
  expect(error).not.toHaveProperty("variables");
  expect(error).not.toHaveProperty("response");
}

const echo = (message: string) =>
  JSON.stringify({ errors: [{ message, extensions: { code: "BAD_USER_INPUT" } }] });

describe("@hush/graphql: no value or token in any error, against the real hush-server", () => {
  const scenarios: Array<
    [string, (server: RealServer, client: HushClient, token: string) => Promise<unknown>]
  > = [
    ["FORBIDDEN", (_, client) => client.setSecret("A", VALUE)],
    [
      "BAD_USER_INPUT for a value over the limit",
      (_, client) => client.setSecret("BIG", `${VALUE}${"x".repeat(70_000)}`),
    ],
    [
      "a server that echoes the value and the token",
      (server, client, token) => {
        server.failNext(1, { body: echo(`bad ${VALUE} / ${NESTED} from ${token}`) });
        return client.setSecret("A", { password: NESTED, note: VALUE });
      },
    ],
    [
      "a server that echoes them with HTTP 500",
      (server, client, token) => {
        server.failNext(1, { status: 500, body: `${VALUE} ${token}` });
        return client.setSecret("A", VALUE);
      },
    ],
    [
      "a non-JSON answer quoting them",
      (server, client, token) => {
        server.failNext(1, { body: `<html>${VALUE} ${token}</html>` });
        return client.setSecret("A", VALUE);
      },
    ],
    [
      "a truncated JSON answer quoting them",
      (server, client) => {
        server.failNext(1, {
          body: `{"data":{"secretValue":"${VALUE}`,
          contentType: "application/json",
        });
        return client.secretValue("A");
      },
    ],
    [
      "HTTP 401",
      (server, client, token) => {
        server.failNext(1, { status: 401, body: token });
        return client.secretValue("A");
      },
    ],
    [
      "a timeout",
      (server, client) => {
        server.failNext(1, { delayMs: 5_000 });
        return client.setSecret("A", VALUE);
      },
    ],
    [
      "a dropped connection",
      (server, client) => {
        server.failNext(1, { destroy: true });
        return client.setSecret("A", VALUE);
      },
    ],
    [
      "an unknown token",
      (server, _client, _token) =>
        createClient({ endpoint: server.url, apiKey: UNKNOWN_TOKEN }).setSecret("A", VALUE),
    ],
    [
      "a network error whose cause quotes the token and the value",
      (server, _client, token) => {
        const broken: typeof fetch = async () => {
          throw new TypeError("fetch failed", {
            cause: new Error(`bad header "Bearer ${token}" in a request with ${VALUE}`),
          });
        };
        return createClient({ endpoint: server.url, apiKey: token, fetch: broken }).setSecret(
          "A",
          VALUE,
        );
      },
    ],
    [
      "an unreachable server",
      async (_server, _client, token) =>
        createClient({ endpoint: await closedEndpoint(), apiKey: token, ...FAST }).setSecret(
          "A",
          VALUE,
        ),
    ],
  ];

  it.each(scenarios)("%s", async (_, run) => {
    const server = await startRealServer();
    const token = server.tokens.READ_ONLY_USER;
    const client = createClient({ endpoint: server.url, apiKey: token, timeoutMs: 1_000, ...FAST });
    const error = await rejection(run(server, client, token));
    expectClean(error, token);
  });

  it("says where a scrubbed value was, so the message still reads", async () => {
    const server = await startRealServer();
    const client = createClient({ endpoint: server.url, apiKey: server.tokens.TENANT_ADMIN });
    server.failNext(1, { body: echo(`The value ${VALUE} is not allowed.`) });
    const error = await rejection(client.setSecret("A", VALUE));
    expect(error.message).toBe("The value <redacted> is not allowed.");
  });
});
