import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.js";

/**
 * API tokens with their tenant's name: what a token check needs (with the tenant's id) and what
 * the offline token commands show.
 */
export function tokensWithTenantNames(db: Kysely<Database>) {
  return db
    .selectFrom("api_tokens as t")
    .innerJoin("tenants", "tenants.id", "t.tenant_id")
    .select([
      "t.id",
      "t.name",
      "t.role",
      "t.created",
      "t.expires_at",
      "t.revoked_at",
      "t.environments",
      "tenants.name as tenant_name",
    ]);
}
