import type { HushConfig } from "@hush/config";

/** Prefect's rule: the server is asked only when `use_local_secrets` is exactly `false`. */
export function usesServer(config: HushConfig): boolean {
  return config.backend === "cloud" && config.cloud.use_local_secrets === false;
}
