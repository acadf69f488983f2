import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.js";
import type { AuditAction, AuditEventRecord } from "./contract.js";
import { newId } from "./new-id.js";

/** One audit event to write: who (a token's name), what, when, the outcome; never a value. */
export interface AuditEntry {
  tenantId: string;
  action: AuditAction;
  outcome: AuditEventRecord["outcome"];
  actor: string;
  actorTokenId: string | null;
  secretName?: string | null;
  version?: number | null;
  target?: string | null;
}

export async function insertAuditEvents(
  db: Kysely<Database>,
  at: Date,
  entries: readonly AuditEntry[],
): Promise<void> {
  if (entries.length === 0) return;
  const iso = at.toISOString();
  // Chunked: SQLite caps the number of bound parameters in one statement.
  for (let i = 0; i < entries.length; i += 200) {
    await db
      .insertInto("audit_events")
      .values(
        entries.slice(i, i + 200).map((e) => ({
          id: newId(at.getTime()),
          tenant_id: e.tenantId,
          action: e.action,
          secret_name: e.secretName ?? null,
          version: e.version ?? null,
          outcome: e.outcome,
          actor: e.actor,
          actor_token_id: e.actorTokenId,
          target: e.target ?? null,
          at: iso,
        })),
      )
      .execute();
  }
}
