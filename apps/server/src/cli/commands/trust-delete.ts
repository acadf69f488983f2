import { usageError } from "../cli-error.js";
import { type StorageFlags, withInitialisedService } from "../common-options.js";
import type { CliIo } from "../io.js";
import { trustJson } from "./trust-list.js";

/** What `hush-server trust delete` takes. */
export interface TrustDeleteOptions extends StorageFlags {
  /** The trust's id, as `hush-server trust list` shows it. */
  id?: string | undefined;
  json?: boolean | undefined;
}

/**
 * Deletes an identity trust by id, in whichever tenant, without an admin token. The tokens it
 * issued keep working until they expire.
 */
export async function trustDelete(values: TrustDeleteOptions, io: CliIo): Promise<number> {
  const { id } = values;
  if (id === undefined) {
    throw usageError(
      "Give the id of the trust to delete (hush-server trust list shows them).",
      "trust delete",
    );
  }
  return withInitialisedService(values, io, async (service) => {
    const trust = await service.deleteIdentityTrustOffline(id);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(trustJson(trust))}\n`);
    } else {
      io.stdout.write(
        `Deleted the identity trust ${trust.id} of tenant "${trust.tenantName}". The tokens it issued work until they expire (at most ${trust.ttlSeconds} s); revoke them with hush-server token revoke to stop them sooner.\n`,
      );
    }
    return 0;
  });
}
