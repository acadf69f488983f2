import { escapeForDisplay } from "@hush/schema";
import type { Kysely, Migration } from "kysely";

interface TokenRow {
  id: string;
  tenant_id: string;
  name: string;
}

/**
 * The names the tokens of one tenant get, oldest first: characters that no new name may hold
 * (controls, bidi overrides, zero-width characters…) are spelled out as visible escapes, and a
 * name already taken gets a suffix " (2)", " (3)"… so that names tell tokens apart.
 */
export function uniqueTokenNames(rows: readonly TokenRow[]): Map<string, string> {
  const renamed = new Map<string, string>();
  const taken = new Set<string>();
  // Names that are fine as they are keep them, however new the token: a suffix goes to the
  // token whose name was not unique or not clean.
  const clean = (row: TokenRow) => escapeForDisplay(row.name.normalize("NFC")).trim() || "token";
  for (const row of rows) if (clean(row) === row.name) taken.add(row.name);
  const kept = new Set<string>();
  for (const row of rows) {
    const base = clean(row);
    if (base === row.name && !kept.has(base)) {
      kept.add(base);
      continue;
    }
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base} (${n})`;
    taken.add(name);
    renamed.set(row.id, name);
  }
  return renamed;
}

/**
 * Token names become unique per tenant (revoked tokens included) and free of characters that
 * change how text is shown; a unique index keeps them so. Audit events keep the names they were
 * recorded with, and carry the token's id.
 */
export const tokenNames: Migration = {
  async up(db: Kysely<unknown>) {
    const tokens = db as Kysely<{ api_tokens: TokenRow & { created: string } }>;
    const rows = await tokens
      .selectFrom("api_tokens")
      .select(["id", "tenant_id", "name"])
      .orderBy("tenant_id")
      .orderBy("created")
      .orderBy("id")
      .execute();
    const byTenant = new Map<string, TokenRow[]>();
    for (const row of rows) {
      const list = byTenant.get(row.tenant_id) ?? [];
      list.push(row);
      byTenant.set(row.tenant_id, list);
    }
    for (const list of byTenant.values()) {
      for (const [id, name] of uniqueTokenNames(list)) {
        await tokens.updateTable("api_tokens").set({ name }).where("id", "=", id).execute();
      }
    }
    await db.schema
      .createIndex("api_tokens_tenant_name")
      .on("api_tokens")
      .columns(["tenant_id", "name"])
      .unique()
      .execute();
  },
};
