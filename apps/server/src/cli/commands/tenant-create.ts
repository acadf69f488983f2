import { usageError } from "../cli-error.js";
import { type StorageFlags, withInitialisedService } from "../common-options.js";
import type { CliIo } from "../io.js";

/** What `hush-server tenant create` takes. */
export interface TenantCreateOptions extends StorageFlags {
  /** The tenant's name. */
  name?: string | undefined;
  /** Print {"tenant","token"} as JSON. */
  json?: boolean | undefined;
}

/** Creates a tenant and its first TENANT_ADMIN token, named "admin", printed once. */
export async function tenantCreate(values: TenantCreateOptions, io: CliIo): Promise<number> {
  const { name } = values;
  if (name === undefined) throw usageError("Give the tenant's name.", "tenant create");
  return withInitialisedService(values, io, async (service) => {
    const { tenant, token } = await service.createTenant(name);
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ tenant: tenant.name, token })}\n`);
    } else {
      io.stdout.write(
        `Created tenant "${tenant.name}". Its TENANT_ADMIN token "admin" is shown once, store it now:\n\n  ${token}\n`,
      );
    }
    return 0;
  });
}
