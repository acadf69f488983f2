import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type FakeServerOptions, startFakeServer } from "@hush/graphql/testing";
import { onTestFinished } from "vitest";
import { useConfig } from "./helpers.js";

export const RUNNER_TOKEN = "hush_runner_0123456789";

/**
 * A fake hush server with `secrets` in tenant "acme", and `@hush/core` configured to use it the
 * way a production run is: backend cloud, use_local_secrets false, a RUNNER token, all from the
 * config file and HUSH__ variables. `extraToml` goes into the config file.
 */
export async function useCloud(
  options: FakeServerOptions & { apiKey?: string; extraToml?: string } = {},
) {
  const { apiKey = RUNNER_TOKEN, extraToml = "", ...serverOptions } = options;
  const server = await startFakeServer({
    tenant: "acme",
    tokens: { [RUNNER_TOKEN]: "RUNNER" },
    ...serverOptions,
  });
  onTestFinished(() => server.close());
  const { options: configureOptions } = useConfig(
    `backend = "cloud"\n[cloud]\nendpoint = "${server.url}"\n${extraToml}`,
    { HUSH__CLOUD__USE_LOCAL_SECRETS: "false", HUSH__CLOUD__API_KEY: apiKey },
  );
  return Object.assign(server, { configureOptions });
}

/** A loopback URL nothing listens on (a port that was just freed). */
export async function closedEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** The rejection of `promise` (fails the test if it fulfils). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}
