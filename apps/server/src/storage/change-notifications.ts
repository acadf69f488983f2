import { type Kysely, sql } from "kysely";
import type { Database, DialectName } from "./schema.js";

/** The PostgreSQL channel on which replicas tell each other what changed. */
export const CHANGES_CHANNEL = "hush_changes";

/**
 * What changed: `keys` (the master key ring: reload it), `tokens` (a token was revoked: drop
 * cached token checks), `environments` (a tenant's environments changed: drop cached lists), `webhooks` (a tenant's
 * webhooks changed),
 * `changes` (a tenant committed change events: wake its long polls and the webhook worker; the
 * payload is `changes:<tenant id>`, see `service/changes/change-log.ts`). Secrets need no other
 * notice: no replica caches their rows or values.
 */
export type ChangeKind = "keys" | "tokens" | "environments" | "webhooks" | "changes";

/**
 * Tells every replica listening on the database that something changed. PostgreSQL only (on
 * SQLite there is one server per data folder, so nobody else to tell); inside a transaction the
 * notification is delivered when it commits.
 */
export async function notifyChange(
  db: Kysely<Database>,
  dialect: DialectName,
  kind: ChangeKind,
): Promise<void> {
  if (dialect !== "postgres") return;
  await sql`select pg_notify(${CHANGES_CHANNEL}, ${kind})`.execute(db);
}

/**
 * Where a change listener hands what it hears (the service's `ChangeFeed`): each notice, and
 * whether notices arrive at all (`setLive(true)` after an outage is a resync).
 */
export interface ChangeNoticeSink {
  readonly live: boolean;
  /** `tenantId`: the tenant a `changes` notice is about. */
  emit(kind: ChangeKind, tenantId?: string): void;
  setLive(live: boolean): void;
}
