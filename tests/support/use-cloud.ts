import { join } from "node:path";
import { type ConfigureOptions, configure, resetConfiguration } from "@hush/core";
import { testDir } from "@hush/test-support";
import { onTestFinished } from "vitest";

/**
 * Configures `@hush/core` the way a production run is: backend cloud, use_local_secrets false,
 * the endpoint in the user config file and the API key in `HUSH__CLOUD__API_KEY`. `extraToml`
 * goes into the file; `env` is added to the environment. Reset after the test.
 */
export function useCloud(
  endpoint: string,
  apiKey: string,
  { extraToml = "", env = {} }: { extraToml?: string; env?: Record<string, string> } = {},
): { file: string; options: ConfigureOptions } {
  const home = testDir({
    ".hush/config.toml": `backend = "cloud"\n[cloud]\nendpoint = "${endpoint}"\n${extraToml}`,
  });
  const options: ConfigureOptions = {
    homeDir: home,
    env: { HUSH__CLOUD__USE_LOCAL_SECRETS: "false", HUSH__CLOUD__API_KEY: apiKey, ...env },
  };
  configure(options);
  onTestFinished(resetConfiguration);
  return { file: join(home, ".hush/config.toml"), options };
}
