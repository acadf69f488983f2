import { parseArgs } from "node:util";
import { escapeForDisplay } from "@hush/schema";
import { openService } from "../../service/open-service.js";
import { usageError } from "../cli-error.js";
import {
  requireInitialised,
  STORAGE_HELP,
  storageOptions,
  storageSettings,
} from "../common-options.js";
import type { CliIo } from "../io.js";

export const TOKEN_REVOKE_HELP = `Usage: hush-server token revoke ID [options]

Revokes an API token by its id (see hush-server token list), in whichever tenant, without an
admin token. Running servers refuse it at once (on PostgreSQL every replica is told), or within
a few seconds if they cannot be told. Revoking twice changes nothing. A tenant's last active
TENANT_ADMIN token is refused: create another first (hush-server token create --tenant T
--role TENANT_ADMIN --name N), or pass --force.

Options:
${STORAGE_HELP}
  --force               Revoke even a tenant's last active TENANT_ADMIN token
  -h, --help            Show this help
`;

export async function tokenRevokeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...storageOptions, force: { type: "boolean" } },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout.write(TOKEN_REVOKE_HELP);
    return 0;
  }
  const [id, ...extra] = positionals;
  if (id === undefined) {
    throw usageError(
      "Give the id of the token to revoke (hush-server token list shows them).",
      "token revoke",
    );
  }
  if (extra.length > 0) throw usageError(`Unexpected argument: ${extra[0]}`, "token revoke");
  const storage = storageSettings(values, io);
  requireInitialised(storage);
  const service = await openService({ ...storage, env: io.env });
  try {
    const token = await service.revokeTokenOffline(id, { force: values.force ?? false });
    io.stdout.write(
      token.wasRevoked
        ? `The ${token.role} token "${escapeForDisplay(token.name)}" in tenant "${token.tenantName}" (id ${token.id}) was already revoked; nothing changed.\n`
        : `Revoked the ${token.role} token "${escapeForDisplay(token.name)}" in tenant "${token.tenantName}" (id ${token.id}).\n`,
    );
    return 0;
  } finally {
    await service.close();
  }
}
