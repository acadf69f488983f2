import { type ClientOptions, createClient, type HushClient } from "@hush/graphql";
import { type FakeServer, type FakeServerOptions, startFakeServer } from "@hush/graphql/testing";
import { onTestFinished } from "vitest";

export const ADMIN = "hush_admin_token_canary_0001";
export const USER = "hush_user_token_canary_0002";
export const RUNNER = "hush_runner_token_canary_0003";
export const READER = "hush_reader_token_canary_0004";

/** Fast retries, so that tests of retries take milliseconds. */
export const FAST = { backoff: { baseMs: 1, maxMs: 4 } } as const;

/** A fake server with one token per role, closed when the test ends. */
export async function useServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const server = await startFakeServer({
    tokens: {
      [ADMIN]: "TENANT_ADMIN",
      [USER]: "USER",
      [RUNNER]: "RUNNER",
      [READER]: "READ_ONLY_USER",
    },
    ...options,
  });
  onTestFinished(() => server.close());
  return server;
}

/** A client of `server` with the given token (admin by default) and fast retries. */
export function clientOf(server: FakeServer, options: Partial<ClientOptions> = {}): HushClient {
  return createClient({ endpoint: server.url, apiKey: ADMIN, ...FAST, ...options });
}

export { closedEndpoint } from "../../../../test-utils/closed-endpoint.js";
export { rejection } from "../../../../test-utils/rejection.js";
