import type { ClientOptions, HushClient } from "@hush/graphql";
import { CLIENT_METHODS } from "@hush/graphql/methods";

/** The server calls the CLI makes: every method of `HushClient`. */
export type ServerClient = Omit<HushClient, "url" | "request">;

/**
 * A client for the hush server that loads `@hush/graphql` (and graphql's printer) only on
 * its first call, so that commands which never reach the server start fast. Same methods, errors
 * and options as `createClient` of `@hush/graphql` (its method names come from the operations'
 * names alone, without the documents); the build also hands it to `@hush/core` in place of that
 * `createClient`.
 */
export function createClient(options: ClientOptions): ServerClient {
  let loaded: Promise<HushClient> | undefined;
  const load = () => {
    loaded ??= import("@hush/graphql").then((module) => module.createClient(options));
    return loaded;
  };
  return Object.fromEntries(
    CLIENT_METHODS.map((method) => [
      method,
      async (...args: unknown[]) => {
        const client = await load();
        return (client[method] as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    ]),
  ) as unknown as ServerClient;
}
