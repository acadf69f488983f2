import type { Role } from "@hush/schema/types";
import type { ColumnType, Generated } from "kysely";

// Timestamps are ISO-8601 UTC strings (sortable as text on both dialects); booleans are 0/1.

export interface TenantsTable {
  id: string;
  name: string;
  created: string;
}

export interface ApiTokensTable {
  id: string;
  tenant_id: string;
  name: string;
  role: Role;
  token_hash: string;
  created: string;
  created_by: string;
  expires_at: string | null;
  revoked_at: string | null;
  /** JSON list of the environment names the token may use; null: every environment. */
  environments: string | null;
  /** The identity trust an exchange issued the token under; null for tokens made otherwise. */
  trust_id: string | null;
}

export interface IdentityTrustsTable {
  id: string;
  tenant_id: string;
  /** The issuer's URL, as tokens' `iss` says it. */
  issuer: string;
  audience: string;
  /** The subject, exactly or as a glob where `*` stands for any run of characters. */
  subject: string;
  /** JSON list of `{ name, value }`: further claims a token must carry (values may be globs). */
  claims: string;
  role: Role;
  /** JSON list of the environment names issued tokens may use; null: every environment. */
  environments: string | null;
  ttl_seconds: number;
  created: string;
  created_by: string;
}

export interface EnvironmentsTable {
  /** The tenant's first environment has the tenant's id (see `migrations/0004-environments.ts`). */
  id: string;
  tenant_id: string;
  name: string;
  /** 1 for the environment a request that names none uses; one per tenant. */
  is_default: number;
  created: string;
}

export interface SecretsTable {
  tenant_id: string;
  environment_id: string;
  name: string;
  /** The newest version written, a tombstone included. */
  current_version: number;
  created: string;
  updated: string;
  updated_by: string;
  deleted: number;
}

export interface SecretVersionsTable {
  tenant_id: string;
  environment_id: string;
  name: string;
  version: number;
  created: string;
  created_by: string;
  deleted: number;
  // The crypto columns are NULL for a tombstone and for values pruned past the kept history.
  key_id: string | null;
  wrapped_key: Buffer | null;
  iv: Buffer | null;
  ciphertext: Buffer | null;
  auth_tag: Buffer | null;
  /**
   * HMAC-SHA256 of the plaintext under the tenant's digest key (see `crypto/value-digest.ts`),
   * for comparing environments without decrypting; null for deletions, pruned values and rows
   * written before digests were kept.
   */
  digest: Buffer | null;
  /** The master key the digest key was derived from. */
  digest_key_id: string | null;
}

export interface AuditEventsTable {
  id: string;
  tenant_id: string;
  /** The environment a secret event happened in; null for events about no environment. */
  environment_id: string | null;
  /**
   * That environment's name, kept after it is deleted; for a refused name the tenant does not
   * have, that name (with no id).
   */
  environment_name: string | null;
  action: string;
  secret_name: string | null;
  version: number | null;
  outcome: string;
  actor: string;
  actor_token_id: string | null;
  /** What a token event was about: the token's id. */
  target: string | null;
  /** When it happened; the first time, for an event that counts several attempts. */
  at: string;
  /** How many attempts the event stands for (see `service/audit/policy.ts`). */
  count: number;
  /** When the last of them happened; null on events written before it was kept (then `at`). */
  last_at: string | null;
  /** JSON list of the first names of a call over several secrets. */
  secret_names: string | null;
  /** How many names that call named. */
  secret_name_count: number | null;
  /** 1: counts a token's refusals and misses past its limit per minute, without their names. */
  suppressed: number;
  /** 1: a refusal or a miss (outcome DENIED or NOT_FOUND), kept under a cap of its own. */
  refusal: number;
  /** Repeats of an event that have the same key are counted on it; null for writes. */
  coalesce_key: string | null;
  /** The identity trust the event is about (created, deleted, exchanged under). */
  trust_id: string | null;
  /** For an exchange: the identity token's subject; never the token. */
  subject: string | null;
  /** For the webhook events: the webhook's id. */
  webhook_id: string | null;
}

/**
 * One committed change of a tenant (see `migrations/0006-change-events.ts`); never a value.
 * `id` grows in commit order within a tenant. PostgreSQL returns it as a string (bigint).
 */
export interface ChangeEventsTable {
  id: Generated<number | string>;
  /**
   * PostgreSQL only: the event's place in its tenant's commit order, given at commit (null
   * before). SQLite has no such column: there it is the id (see `changeSeq`).
   */
  seq: ColumnType<number | string | null, never, never>;
  tenant_id: string;
  environment_name: string;
  secret_name: string | null;
  /** A SecretChangeAction. */
  action: string;
  version: number | null;
  at: string;
  actor: string;
}

export interface WebhooksTable {
  id: string;
  tenant_id: string;
  url: string;
  /** Only changes in this environment; null: every one. */
  environment_name: string | null;
  /** JSON list of SecretChangeAction names; null: every action. */
  events: string | null;
  // The signing secret, sealed as a value is (see `service/changes/webhooks.ts`).
  key_id: string;
  wrapped_key: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  auth_tag: Buffer;
  created: string;
  created_by: string;
  disabled_at: string | null;
  /** When the first of the failures since the last success happened; null after a success. */
  failing_since: string | null;
  last_outcome: string | null;
}

export interface WebhookDeliveriesTable {
  id: Generated<number | string>;
  webhook_id: string;
  change_event_id: number | string;
  /** A WebhookDeliveryStatus. */
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_attempt_at: string | null;
  last_outcome: string | null;
  /** A worker sends it until then; nobody else claims it before. */
  lease_until: string | null;
}

/** The database as Kysely sees it. */
export interface Database {
  tenants: TenantsTable;
  environments: EnvironmentsTable;
  api_tokens: ApiTokensTable;
  secrets: SecretsTable;
  secret_versions: SecretVersionsTable;
  audit_events: AuditEventsTable;
  identity_trusts: IdentityTrustsTable;
  change_events: ChangeEventsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export type DialectName = "sqlite" | "postgres";
