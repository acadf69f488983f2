import { type ClientOptions, createClient, type HushClient } from "@hush/graphql";
import type { RealServer } from "./real-server.js";

/** Fast retries, so that tests of retries take milliseconds. */
export const FAST = { backoff: { baseMs: 1, maxMs: 4 } } as const;

/** A client of `server` with the given options (the tenant admin's token by default), fast retries. */
export function clientOf(server: RealServer, options: Partial<ClientOptions> = {}): HushClient {
  return createClient({
    endpoint: server.url,
    apiKey: server.tokens.TENANT_ADMIN,
    ...FAST,
    ...options,
  });
}
