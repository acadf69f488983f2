import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
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

/** A loopback URL nothing listens on (a port that was just freed). */
export async function closedEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** The rejection of `promise`; fails the test when it fulfils. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection, but the promise fulfilled");
}
