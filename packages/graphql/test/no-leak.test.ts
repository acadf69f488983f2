import { inspect } from "node:util";
import { createClient, type HushClient } from "@hush/graphql";
import type { FakeServer } from "@hush/graphql/testing";
import { describe, expect, it } from "vitest";
import { closedEndpoint, FAST, rejection, useServer } from "./support/fake.js";

const VALUE = "canary-value-7f3a9c1e";
const NESTED = "canary-nested-0b5d2e88";
const TOKEN = "hush_canary_token_91b2c4d6";
const UNKNOWN_TOKEN = "hush_canary_unknown_5e6f7a8b";

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

function expectClean(error: Error): void {
  const text = everything(error);
  for (const canary of [VALUE, NESTED, TOKEN, UNKNOWN_TOKEN]) expect(text).not.toContain(canary);
  expect(error).not.toHaveProperty("request");
  expect(error).not.toHaveProperty("variables");
  expect(error).not.toHaveProperty("response");
}

const echo = (message: string) =>
  JSON.stringify({ errors: [{ message, extensions: { code: "BAD_USER_INPUT" } }] });

describe("no value or token in any error", () => {
  const scenarios: Array<[string, (server: FakeServer, client: HushClient) => Promise<unknown>]> = [
    ["FORBIDDEN", (_, client) => client.setSecret("A", VALUE)],
    [
      "BAD_USER_INPUT for a value over the limit",
      (_, client) => client.setSecret("BIG", `${VALUE}${"x".repeat(70_000)}`),
    ],
    [
      "a server that echoes the value and the token",
      (server, client) => {
        server.failNext(1, { body: echo(`bad ${VALUE} / ${NESTED} from ${TOKEN}`) });
        return client.setSecret("A", { password: NESTED, note: VALUE });
      },
    ],
    [
      "a server that echoes them with HTTP 500",
      (server, client) => {
        server.failNext(1, { status: 500, body: `${VALUE} ${TOKEN}` });
        return client.setSecret("A", VALUE);
      },
    ],
    [
      "a non-JSON answer quoting them",
      (server, client) => {
        server.failNext(1, { body: `<html>${VALUE} ${TOKEN}</html>` });
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
      (server, client) => {
        server.failNext(1, { status: 401, body: TOKEN });
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
      (server) =>
        createClient({ endpoint: server.url, apiKey: UNKNOWN_TOKEN }).setSecret("A", VALUE),
    ],
    [
      "a network error whose cause quotes the token and the value",
      (server) => {
        const broken: typeof fetch = async () => {
          throw new TypeError("fetch failed", {
            cause: new Error(`bad header "Bearer ${TOKEN}" in a request with ${VALUE}`),
          });
        };
        return createClient({ endpoint: server.url, apiKey: TOKEN, fetch: broken }).setSecret(
          "A",
          VALUE,
        );
      },
    ],
    [
      "an unreachable server",
      async () =>
        createClient({ endpoint: await closedEndpoint(), apiKey: TOKEN, ...FAST }).setSecret(
          "A",
          VALUE,
        ),
    ],
  ];

  it.each(scenarios)("%s", async (_, run) => {
    const server = await useServer({ tokens: { [TOKEN]: "READ_ONLY_USER" } });
    const client = createClient({ endpoint: server.url, apiKey: TOKEN, timeoutMs: 1_000, ...FAST });
    const error = await rejection(run(server, client));
    expectClean(error);
  });

  it("says where a scrubbed value was, so the message still reads", async () => {
    const server = await useServer({ tokens: { [TOKEN]: "TENANT_ADMIN" } });
    const client = createClient({ endpoint: server.url, apiKey: TOKEN });
    server.failNext(1, { body: echo(`The value ${VALUE} is not allowed.`) });
    const error = await rejection(client.setSecret("A", VALUE));
    expect(error.message).toBe("The value <redacted> is not allowed.");
  });
});
