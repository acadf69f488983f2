import { escapeForDisplay } from "@hush/schema";
import { usageError } from "../cli-error.js";
import { type StorageFlags, withInitialisedService } from "../common-options.js";
import type { CliIo } from "../io.js";

/** What `hush-server token revoke` takes. */
export interface TokenRevokeOptions extends StorageFlags {
  /** The token's id, as `hush-server token list` shows it. */
  id?: string | undefined;
  /** Revoke even a tenant's last active TENANT_ADMIN token. */
  force?: boolean | undefined;
}

/** Revokes an API token by id, in whichever tenant, without an admin token. */
export async function tokenRevoke(values: TokenRevokeOptions, io: CliIo): Promise<number> {
  const { id } = values;
  if (id === undefined) {
    throw usageError(
      "Give the id of the token to revoke (hush-server token list shows them).",
      "token revoke",
    );
  }
  return withInitialisedService(values, io, async (service) => {
    const token = await service.revokeTokenOffline(id, { force: values.force ?? false });
    io.stdout.write(
      token.wasRevoked
        ? `The ${token.role} token "${escapeForDisplay(token.name)}" in tenant "${token.tenantName}" (id ${token.id}) was already revoked; nothing changed.\n`
        : `Revoked the ${token.role} token "${escapeForDisplay(token.name)}" in tenant "${token.tenantName}" (id ${token.id}).\n`,
    );
    return 0;
  });
}
