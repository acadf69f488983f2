import type { ClientOptions, HushClient } from "@hush/graphql";

/** The server calls the CLI makes; `setSecrets` writes several secrets in one transaction. */
export type ServerClient = Omit<HushClient, "url" | "request"> & {
  setSecrets(
    secrets: ReadonlyArray<{ name: string; value: unknown }>,
    options?: { skipUnchanged?: boolean },
  ): Promise<{
    success: boolean;
    secrets: Array<{ name: string; version: number; unchanged: boolean }>;
  }>;
};

const METHODS = [
  "setSecret",
  "deleteSecret",
  "rollbackSecret",
  "secretValue",
  "secretValues",
  "secretNames",
  "secrets",
  "secretVersions",
  "createApiToken",
  "apiTokens",
  "revokeApiToken",
  "auditEvents",
  "me",
] as const satisfies ReadonlyArray<keyof HushClient>;

/**
 * A client for the hush server that loads `@hush/graphql` (and graphql's printer) only on
 * its first call, so that commands which never reach the server start fast. Same methods, errors
 * and options as `createClient` of `@hush/graphql`; the build also hands it to `@hush/core` in
 * place of that `createClient`.
 */
export function createClient(options: ClientOptions): ServerClient {
  let loaded: Promise<{ client: HushClient; module: typeof import("@hush/graphql") }> | undefined;
  const load = () => {
    loaded ??= import("@hush/graphql").then((module) => ({
      client: module.createClient(options),
      module,
    }));
    return loaded;
  };
  const client = Object.fromEntries(
    METHODS.map((method) => [
      method,
      async (...args: unknown[]) => {
        const { client } = await load();
        return (client[method] as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    ]),
  ) as unknown as ServerClient;
  client.setSecrets = async (secrets, options = {}) => {
    const { client, module } = await load();
    const variables = { secrets: [...secrets], skipUnchanged: options.skipUnchanged ?? false };
    return (await client.request(module.SetSecretsDocument, variables)).setSecrets;
  };
  return client;
}
