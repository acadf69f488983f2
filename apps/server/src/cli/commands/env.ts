import type { OfflineEnvironmentAction } from "../../service/hush-service.js";
import { usageError } from "../cli-error.js";
import { type StorageFlags, withInitialisedService } from "../common-options.js";
import type { CliIo } from "../io.js";
import { DEFAULT_TENANT } from "./init.js";

/** What `hush-server env list|create|delete|default` take. */
export interface EnvOptions extends StorageFlags {
  /** The environment to create, delete or make the default. */
  name?: string | undefined;
  /** The tenant; "default" when absent. */
  tenant?: string | undefined;
  /** For delete: delete it with its secrets. */
  force?: boolean | undefined;
  /** Print a JSON array of the environments. */
  json?: boolean | undefined;
}

/**
 * Lists a tenant's environments, after `action` (create, delete, default) when one is given:
 * the offline twin of the environment mutations, for someone with the server's data.
 */
export async function env(
  action: OfflineEnvironmentAction["action"],
  values: EnvOptions,
  io: CliIo,
): Promise<number> {
  const { name } = values;
  if (action !== "list" && name === undefined) {
    throw usageError("Name the environment, e.g. staging.", `env ${action}`);
  }
  const change: OfflineEnvironmentAction =
    action === "list"
      ? { action }
      : action === "delete"
        ? { action, name: name!, force: values.force === true }
        : { action, name: name! };
  const tenantName = values.tenant ?? DEFAULT_TENANT;
  return withInitialisedService(values, io, async (service) => {
    const environments = await service.environmentsOffline(tenantName, change);
    if (values.json) {
      const shown = environments.map((e) => ({ ...e, created: e.created.toISOString() }));
      io.stdout.write(`${JSON.stringify(shown)}\n`);
      return 0;
    }
    for (const e of environments) {
      io.stdout.write(
        `${e.name.padEnd(33)}${(e.isDefault ? "default" : "").padEnd(9)}${e.secretCount} secrets\n`,
      );
    }
    return 0;
  });
}
