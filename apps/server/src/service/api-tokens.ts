import type { Insertable, Kysely } from "kysely";
import { generateApiToken, hashApiToken } from "../auth/api-token.js";
import { notifyChange } from "../storage/change-notifications.js";
import type { ApiTokensTable, Database } from "../storage/schema.js";
import type { AuditLog } from "./audit/audit-log.js";
import type { Authenticator } from "./authenticator.js";
import type { ApiTokenMeta, Caller, Role } from "./contract.js";
import { newId } from "./new-id.js";
import { apiTokenNotFound } from "./not-found.js";
import { fail, type Outcome, ok, unwrap } from "./outcome.js";
import { forbidden, isAllowed } from "./roles.js";
import { nowIso, type ServiceContext } from "./service-context.js";
import { validateExpiry, validateRole } from "./token-input.js";
import { badInput, validateTokenId, validateTokenName } from "./validation.js";

/**
 * Marks a token revoked inside the write transaction `db` and tells the other replicas when it
 * commits. Revoking twice keeps the first revocation time; returns the time that stands.
 */
export async function markRevoked(
  db: Kysely<Database>,
  context: ServiceContext,
  id: string,
  revokedAt: string | null,
): Promise<string> {
  if (revokedAt !== null) return revokedAt;
  const now = nowIso(context);
  await db.updateTable("api_tokens").set({ revoked_at: now }).where("id", "=", id).execute();
  await notifyChange(db, context.backend, "tokens");
  return now;
}

/**
 * Whether revoking the token `target` would leave its tenant without an active (neither revoked
 * nor expired) TENANT_ADMIN token, in the write transaction `db`: then nobody could manage the
 * tenant's tokens without shell access to the server. Concurrent revocations in a tenant are
 * serialised (SQLite has one writer; PostgreSQL locks the tenant's row first), so two admins
 * revoking each other at once cannot both pass.
 */
export async function isLastActiveAdmin(
  db: Kysely<Database>,
  context: ServiceContext,
  target: {
    id: string;
    tenant_id: string;
    role: Role;
    revoked_at: string | null;
    expires_at: string | null;
  },
): Promise<boolean> {
  const now = nowIso(context);
  const active = (t: { revoked_at: string | null; expires_at: string | null }) =>
    t.revoked_at === null && (t.expires_at === null || t.expires_at > now);
  if (target.role !== "TENANT_ADMIN" || !active(target)) return false;
  if (context.backend === "postgres") {
    await db
      .selectFrom("tenants")
      .select("id")
      .where("id", "=", target.tenant_id)
      .forUpdate()
      .execute();
  }
  const others = await db
    .selectFrom("api_tokens")
    .select(["revoked_at", "expires_at"])
    .where("tenant_id", "=", target.tenant_id)
    .where("role", "=", "TENANT_ADMIN")
    .where("revoked_at", "is", null)
    .where("id", "!=", target.id)
    .execute();
  return !others.some(active);
}

/**
 * Stores a new token row in the write transaction `db`, unless its tenant already has a token of
 * that name (revoked ones included): names are how people and audit events tell tokens apart.
 * The unique index on (tenant, name) settles concurrent creations.
 */
export async function insertTokenRow(
  db: Kysely<Database>,
  row: Insertable<ApiTokensTable>,
): Promise<Outcome<void>> {
  const taken = () =>
    fail(
      badInput(
        `A token named "${row.name}" already exists in this tenant (revoked tokens keep their names); choose another name, e.g. "${row.name}-2".`,
      ),
    );
  const existing = await db
    .selectFrom("api_tokens")
    .select("id")
    .where("tenant_id", "=", row.tenant_id)
    .where("name", "=", row.name)
    .executeTakeFirst();
  if (existing !== undefined) return taken();
  const inserted = await db
    .insertInto("api_tokens")
    .values(row)
    .onConflict((conflict) => conflict.columns(["tenant_id", "name"]).doNothing())
    .executeTakeFirst();
  return inserted.numInsertedOrUpdatedRows === 0n ? taken() : ok(undefined);
}

/** A stored token row as the API shows it; never its hash. */
export function toTokenMeta(row: {
  id: string;
  name: string;
  role: Role;
  created: string;
  expires_at: string | null;
  revoked_at: string | null;
  environments?: string | null;
}): ApiTokenMeta {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    created: new Date(row.created),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
    environments: parseEnvironments(row.environments),
  };
}

/** A tenant admin's management of the tenant's API tokens. */
export class ApiTokens {
  readonly #context: ServiceContext;
  readonly #audit: AuditLog;
  readonly #authenticator: Authenticator;

  constructor(context: ServiceContext, audit: AuditLog, authenticator: Authenticator) {
    this.#context = context;
    this.#audit = audit;
    this.#authenticator = authenticator;
  }

  async createApiToken(
    caller: Caller,
    input: {
      name: string;
      role: Role;
      expiresAt?: Date | null;
      /** Already checked against the tenant's environments; null for every one. */
      environments?: readonly string[] | null;
    },
  ): Promise<{ token: string; apiToken: ApiTokenMeta }> {
    const name = validateTokenName(input.name);
    const role = validateRole(input.role);
    const expiresAt = validateExpiry(input.expiresAt, this.#context.clock());
    await this.#audit.require(caller, "manageTokens", "CREATE_API_TOKEN");
    const token = generateApiToken();
    const row = {
      id: newId(),
      tenant_id: caller.tenantId,
      name,
      role,
      token_hash: hashApiToken(token),
      created: nowIso(this.#context),
      created_by: caller.tokenName,
      expires_at: expiresAt?.toISOString() ?? null,
      revoked_at: null,
      environments: input.environments == null ? null : JSON.stringify(input.environments),
    };
    const outcome = await this.#context.writer.run(async (db): Promise<Outcome<void>> => {
      const inserted = await insertTokenRow(db, row);
      if (inserted.ok) {
        await this.#audit.recordIn(db, caller, "CREATE_API_TOKEN", "SUCCESS", { target: row.id });
      }
      return inserted;
    });
    unwrap(outcome);
    return { token, apiToken: toTokenMeta(row) };
  }

  async apiTokens(caller: Caller): Promise<ApiTokenMeta[]> {
    if (!isAllowed(caller, "manageTokens")) throw forbidden(caller, "manageTokens");
    const rows = await this.#context.db
      .selectFrom("api_tokens")
      .select(["id", "name", "role", "created", "expires_at", "revoked_at", "environments"])
      .where("tenant_id", "=", caller.tenantId)
      .orderBy("created")
      .orderBy("id")
      .execute();
    return rows.map(toTokenMeta);
  }

  async revokeApiToken(caller: Caller, id: string): Promise<void> {
    validateTokenId(id);
    await this.#audit.require(caller, "manageTokens", "REVOKE_API_TOKEN", { target: id });
    const outcome = await this.#context.writer.run(async (db): Promise<Outcome<string>> => {
      const row = await db
        .selectFrom("api_tokens")
        .select(["id", "tenant_id", "role", "token_hash", "revoked_at", "expires_at"])
        .where("tenant_id", "=", caller.tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      if (row === undefined) {
        await this.#audit.recordIn(db, caller, "REVOKE_API_TOKEN", "NOT_FOUND", { target: id });
        return fail(apiTokenNotFound(caller, id));
      }
      if (await isLastActiveAdmin(db, this.#context, row)) {
        return fail(
          badInput(
            `The token ${id} is the tenant's last active TENANT_ADMIN token: without one, nobody could manage its tokens. Create another TENANT_ADMIN token first: hush tokens create admin-2 --role TENANT_ADMIN (or the createApiToken mutation), then revoke this one with the new token.`,
          ),
        );
      }
      await markRevoked(db, this.#context, id, row.revoked_at);
      await this.#audit.recordIn(db, caller, "REVOKE_API_TOKEN", "SUCCESS", { target: id });
      return ok(row.token_hash);
    });
    this.#authenticator.forget(unwrap(outcome));
  }
}

/** A token row's environments (JSON list of names); null for every environment. */
export function parseEnvironments(stored: string | null | undefined): string[] | null {
  if (stored == null) return null;
  const names: unknown = JSON.parse(stored);
  return Array.isArray(names) ? names.filter((n): n is string => typeof n === "string") : null;
}
