import { parseArgs } from "node:util";
import { openService } from "../../service/open-service.js";
import { usageError } from "../cli-error.js";
import {
  requireInitialised,
  STORAGE_HELP,
  storageOptions,
  storageSettings,
} from "../common-options.js";
import type { CliIo } from "../io.js";

export const TENANT_CREATE_HELP = `Usage: hush-server tenant create NAME [options]

Creates a tenant and its first TENANT_ADMIN token, named "admin", printed once. Tenant names use
letters, digits, "_", "." and "-".

Options:
${STORAGE_HELP}
  --json                Print {"tenant","token"} as JSON
  -h, --help            Show this help
`;

export async function tenantCreateCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...storageOptions, json: { type: "boolean" } },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout.write(TENANT_CREATE_HELP);
    return 0;
  }
  const [name, ...extra] = positionals;
  if (name === undefined) throw usageError("Give the tenant's name.", "tenant create");
  if (extra.length > 0) throw usageError(`Unexpected argument: ${extra[0]}`, "tenant create");
  const storage = storageSettings(values, io);
  requireInitialised(storage);

  const service = await openService({ ...storage, env: io.env });
  try {
    const { tenant, token } = await service.createTenant(name);
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ tenant: tenant.name, token })}\n`);
    } else {
      io.stdout.write(
        `Created tenant "${tenant.name}". Its TENANT_ADMIN token "admin" is shown once, store it now:\n\n  ${token}\n`,
      );
    }
    return 0;
  } finally {
    await service.close();
  }
}
