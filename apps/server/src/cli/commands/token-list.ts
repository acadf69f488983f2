import { parseArgs } from "node:util";
import { escapeForDisplay } from "@hush/schema";
import { openService } from "../../service/open-service.js";
import {
  requireInitialised,
  STORAGE_HELP,
  storageOptions,
  storageSettings,
} from "../common-options.js";
import type { CliIo } from "../io.js";

export const TOKEN_LIST_HELP = `Usage: hush-server token list [options]

Lists the API tokens in the database (ids, names, roles, dates; never the tokens themselves),
without an admin token. Revoke one with: hush-server token revoke ID

Options:
  --tenant TENANT       Only this tenant's tokens (default: every tenant's)
${STORAGE_HELP}
  --json                Print a JSON array of {"id","tenant","name","role","created","expiresAt","revokedAt"}
  -h, --help            Show this help
`;

const day = (date: Date | null) => (date === null ? "-" : `${date.toISOString().slice(0, 19)}Z`);

export async function tokenListCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...storageOptions, tenant: { type: "string" }, json: { type: "boolean" } },
    strict: true,
  });
  if (values.help) {
    io.stdout.write(TOKEN_LIST_HELP);
    return 0;
  }
  const storage = storageSettings(values, io);
  requireInitialised(storage);
  const service = await openService({ ...storage, env: io.env });
  try {
    const tokens = await service.listTokensOffline(values.tenant);
    if (values.json) {
      const shown = tokens.map((t) => ({
        id: t.id,
        tenant: t.tenantName,
        name: t.name,
        role: t.role,
        created: t.created.toISOString(),
        expiresAt: t.expiresAt?.toISOString() ?? null,
        revokedAt: t.revokedAt?.toISOString() ?? null,
      }));
      io.stdout.write(`${JSON.stringify(shown)}\n`);
      return 0;
    }
    if (tokens.length === 0) {
      io.stdout.write("There are no API tokens. Create one with: hush-server token create\n");
      return 0;
    }
    const rows = [
      ["ID", "TENANT", "NAME", "ROLE", "CREATED", "EXPIRES", "REVOKED"],
      ...tokens.map((t) => [
        t.id,
        t.tenantName,
        escapeForDisplay(t.name),
        t.role,
        day(t.created),
        day(t.expiresAt),
        day(t.revokedAt),
      ]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const row of rows) {
      io.stdout.write(
        `${row
          .map((cell, i) => cell.padEnd(widths[i]!))
          .join("  ")
          .trimEnd()}\n`,
      );
    }
    return 0;
  } finally {
    await service.close();
  }
}
