import { escapeForDisplay } from "@hush/schema";
import { type StorageFlags, withInitialisedService } from "../common-options.js";
import { type CliIo, writeTable } from "../io.js";

/** What `hush-server token list` takes. */
export interface TokenListOptions extends StorageFlags {
  /** Only this tenant's tokens; every tenant's when absent. */
  tenant?: string | undefined;
  /** Print a JSON array. */
  json?: boolean | undefined;
}

const day = (date: Date | null) => (date === null ? "-" : `${date.toISOString().slice(0, 19)}Z`);

/** Lists the API tokens in the database (never the tokens themselves), without an admin token. */
export async function tokenList(values: TokenListOptions, io: CliIo): Promise<number> {
  return withInitialisedService(values, io, async (service) => {
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
        environments: t.environments,
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
    writeTable(io, rows);
    return 0;
  });
}
