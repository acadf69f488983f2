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

export { closedEndpoint } from "../../../test-utils/closed-endpoint.js";
export { rejection } from "../../../test-utils/rejection.js";
