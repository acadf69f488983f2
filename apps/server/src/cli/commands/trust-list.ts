import { escapeForDisplay } from "@hush/schema";
import type { OfflineTrustMeta } from "../../service/hush-service.js";
import { type StorageFlags, withInitialisedService } from "../common-options.js";
import { type CliIo, writeTable } from "../io.js";

/** What `hush-server trust list` takes. */
export interface TrustListOptions extends StorageFlags {
  /** Only this tenant's trusts; every tenant's when absent. */
  tenant?: string | undefined;
  json?: boolean | undefined;
}

/** A trust as the `--json` output of the trust commands shows it. */
export function trustJson(trust: OfflineTrustMeta) {
  return {
    id: trust.id,
    tenant: trust.tenantName,
    issuer: trust.issuer,
    audience: trust.audience,
    subject: trust.subject,
    claims: trust.claims,
    role: trust.role,
    environments: trust.environments,
    ttlSeconds: trust.ttlSeconds,
    created: trust.created.toISOString(),
    createdBy: trust.createdBy,
  };
}

/** Lists the identity trusts in the database, without an admin token. */
export async function trustList(values: TrustListOptions, io: CliIo): Promise<number> {
  return withInitialisedService(values, io, async (service) => {
    const trusts = await service.listIdentityTrustsOffline(values.tenant);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(trusts.map(trustJson))}\n`);
      return 0;
    }
    if (trusts.length === 0) {
      io.stdout.write("There are no identity trusts. Create one with: hush-server trust create\n");
      return 0;
    }
    const rows = [
      ["ID", "TENANT", "ISSUER", "AUDIENCE", "SUBJECT", "ROLE", "TTL", "ENVIRONMENTS"],
      ...trusts.map((t) => [
        t.id,
        t.tenantName,
        escapeForDisplay(t.issuer),
        escapeForDisplay(t.audience),
        escapeForDisplay(t.subject) +
          t.claims.map((c) => ` ${escapeForDisplay(c.name)}=${escapeForDisplay(c.value)}`).join(""),
        t.role,
        `${t.ttlSeconds}s`,
        t.environments?.join(",") ?? "all",
      ]),
    ];
    writeTable(io, rows);
    return 0;
  });
}
