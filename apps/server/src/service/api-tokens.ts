import { generateApiToken, hashApiToken } from "../auth/api-token.js";
import type { AuditLog } from "./audit-log.js";
import type { Authenticator } from "./authenticator.js";
import type { ApiTokenMeta, Caller, Role } from "./contract.js";
import { newId } from "./new-id.js";
import { apiTokenNotFound } from "./not-found.js";
import { fail, type Outcome, ok, unwrap } from "./outcome.js";
import { forbidden, isAllowed } from "./roles.js";
import { nowIso, type ServiceContext } from "./service-context.js";
import { validateExpiry, validateRole } from "./token-input.js";
import { validateTokenId, validateTokenName } from "./validation.js";

/** A stored token row as the API shows it; never its hash. */
function toTokenMeta(row: {
  id: string;
  name: string;
  role: Role;
  created: string;
  expires_at: string | null;
  revoked_at: string | null;
}): ApiTokenMeta {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    created: new Date(row.created),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
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
    input: { name: string; role: Role; expiresAt?: Date | null },
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
    };
    await this.#context.writer.run(async (db) => {
      await db.insertInto("api_tokens").values(row).execute();
      await this.#audit.recordIn(db, caller, "CREATE_API_TOKEN", "SUCCESS", { target: row.id });
    });
    return { token, apiToken: toTokenMeta(row) };
  }

  async apiTokens(caller: Caller): Promise<ApiTokenMeta[]> {
    if (!isAllowed(caller, "manageTokens")) throw forbidden(caller, "manageTokens");
    const rows = await this.#context.db
      .selectFrom("api_tokens")
      .select(["id", "name", "role", "created", "expires_at", "revoked_at"])
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
        .select(["token_hash", "revoked_at"])
        .where("tenant_id", "=", caller.tenantId)
        .where("id", "=", id)
        .executeTakeFirst();
      if (row === undefined) {
        await this.#audit.recordIn(db, caller, "REVOKE_API_TOKEN", "NOT_FOUND", { target: id });
        return fail(apiTokenNotFound(caller, id));
      }
      // Revoking twice keeps the first revocation time.
      if (row.revoked_at === null) {
        await db
          .updateTable("api_tokens")
          .set({ revoked_at: nowIso(this.#context) })
          .where("id", "=", id)
          .execute();
      }
      await this.#audit.recordIn(db, caller, "REVOKE_API_TOKEN", "SUCCESS", { target: id });
      return ok(row.token_hash);
    });
    this.#authenticator.forget(unwrap(outcome));
  }
}
