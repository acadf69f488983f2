import { parseArgs } from "node:util";
import { isRoleName, listRoleNames, ROLE_NAMES, ROLES } from "@hush/schema";
import { openService } from "../../service/open-service.js";
import { usageError } from "../cli-error.js";
import {
  requireInitialised,
  STORAGE_HELP,
  storageOptions,
  storageSettings,
} from "../common-options.js";
import type { CliIo } from "../io.js";
import { DEFAULT_TENANT } from "./init.js";

const ROLES_HELP = ROLE_NAMES.map((role) => `  ${role.padEnd(22)}${ROLES[role].description}`).join(
  "\n",
);

export const TOKEN_CREATE_HELP = `Usage: hush-server token create --role ROLE --name NAME [options]

Creates an API token directly in the database, without an admin token: the way back in after
losing one. The token is printed once.

Options:
  --role ROLE           ${listRoleNames()}
  --name NAME           A name to recognise the token by, e.g. ci-runner
  --tenant TENANT       The tenant (default "${DEFAULT_TENANT}")
  --expires-at TIME     When the token stops working, ISO 8601, e.g. 2030-01-01T00:00:00Z
${STORAGE_HELP}
  --json                Print {"id","token"} as JSON
  -h, --help            Show this help

Roles:
${ROLES_HELP}
`;

export async function tokenCreateCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...storageOptions,
      role: { type: "string" },
      name: { type: "string" },
      tenant: { type: "string" },
      "expires-at": { type: "string" },
      json: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout.write(TOKEN_CREATE_HELP);
    return 0;
  }
  const role = values.role?.toUpperCase();
  if (!isRoleName(role)) {
    throw usageError(`--role must be one of ${ROLE_NAMES.join(", ")}.`, "token create");
  }
  if (values.name === undefined) throw usageError("--name is required.", "token create");
  let expiresAt: Date | null = null;
  if (values["expires-at"] !== undefined) {
    expiresAt = new Date(values["expires-at"]);
    if (Number.isNaN(expiresAt.getTime())) {
      throw usageError("--expires-at must be a date, e.g. 2030-01-01T00:00:00Z.", "token create");
    }
  }
  const tenantName = values.tenant ?? DEFAULT_TENANT;
  const storage = storageSettings(values, io);
  requireInitialised(storage);

  const service = await openService({ ...storage, env: io.env });
  try {
    const { id, token } = await service.createTokenOffline({
      tenantName,
      role,
      name: values.name,
      expiresAt,
    });
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ id, token })}\n`);
    } else {
      io.stdout.write(
        `Created the ${role} token "${values.name}" in tenant "${tenantName}" (id ${id}).\n` +
          `It is shown once, store it now:\n\n  ${token}\n\n` +
          "Send it as: Authorization: Bearer <token>, or set it as [cloud] api_key in hush's config.\n",
      );
    }
    return 0;
  } finally {
    await service.close();
  }
}
