import { isRoleName, ROLE_NAMES } from "@hush/schema";
import { usageError } from "../cli-error.js";
import { type StorageFlags, withInitialisedService } from "../common-options.js";
import type { CliIo } from "../io.js";
import { DEFAULT_TENANT } from "./init.js";

/** What `hush-server token create` takes. */
export interface TokenCreateOptions extends StorageFlags {
  /** One of `ROLE_NAMES`, in any case. */
  role?: string | undefined;
  /** A name to recognise the token by. */
  name?: string | undefined;
  /** The tenant; "default" when absent. */
  tenant?: string | undefined;
  /** When the token stops working, ISO 8601. */
  expiresAt?: string | undefined;
  /** The environments the token may use, comma-separated; every one when absent. */
  env?: string | undefined;
  /** Print {"id","token"} as JSON. */
  json?: boolean | undefined;
}

/**
 * Creates an API token directly in the database, without an admin token: the way back in after
 * losing one. The token is printed once.
 */
export async function tokenCreate(values: TokenCreateOptions, io: CliIo): Promise<number> {
  const role = values.role?.toUpperCase();
  if (!isRoleName(role)) {
    throw usageError(`--role must be one of ${ROLE_NAMES.join(", ")}.`, "token create");
  }
  const { name } = values;
  if (name === undefined) throw usageError("--name is required.", "token create");
  let expiresAt: Date | null = null;
  if (values.expiresAt !== undefined) {
    expiresAt = new Date(values.expiresAt);
    if (Number.isNaN(expiresAt.getTime())) {
      throw usageError("--expires-at must be a date, e.g. 2030-01-01T00:00:00Z.", "token create");
    }
  }
  const tenantName = values.tenant ?? DEFAULT_TENANT;
  return withInitialisedService(values, io, async (service) => {
    const environments =
      values.env === undefined ? null : values.env.split(",").map((e) => e.trim());
    const { id, token } = await service.createTokenOffline({
      tenantName,
      role,
      name,
      expiresAt,
      environments,
    });
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ id, token })}\n`);
    } else {
      io.stdout.write(
        `Created the ${role} token "${name}" in tenant "${tenantName}" (id ${id})` +
          `${environments === null ? "" : `, for the environments ${environments.join(", ")}`}.\n` +
          `It is shown once, store it now:\n\n  ${token}\n\n` +
          "Send it as: Authorization: Bearer <token>, or set it as [cloud] api_key in hush's config.\n",
      );
    }
    return 0;
  });
}
