import type { Kysely } from "kysely";
import { generateApiToken, hashApiToken } from "../auth/api-token.js";
import type { Database } from "../storage/schema.js";
import { insertTokenRow, isLastActiveAdmin, markRevoked, toTokenMeta } from "./api-tokens.js";
import { OFFLINE_ACTOR } from "./audit/audit-log.js";
import { insertAuditEvents } from "./audit/event-rows.js";
import type { Authenticator } from "./authenticator.js";
import type { Role } from "./contract.js";
import { insertFirstEnvironment, validateEnvironmentName } from "./environments.js";
import { ServiceError } from "./errors.js";
import type { OfflineTokenMeta, TenantInfo } from "./hush-service.js";
import { newId } from "./new-id.js";
import { tenantNotFound } from "./not-found.js";
import { fail, type Outcome, ok, unwrap } from "./outcome.js";
import { nowIso, type ServiceContext } from "./service-context.js";
import { validateExpiry, validateRole } from "./token-input.js";
import { tokensWithTenantNames } from "./token-rows.js";
import { badInput, validateTenantName, validateTokenName } from "./validation.js";

/** The admin operations of the `hush-server` command: tenants and their way-back-in tokens. */
export class Tenants {
  readonly #context: ServiceContext;
  readonly #authenticator: Authenticator;

  constructor(context: ServiceContext, authenticator: Authenticator) {
    this.#context = context;
    this.#authenticator = authenticator;
  }

  async createTenant(
    name: string,
  ): Promise<{ tenant: { id: string; name: string }; token: string }> {
    validateTenantName(name);
    const tenant = { id: newId(), name };
    const token = generateApiToken();
    const tokenId = newId();
    const outcome = await this.#context.writer.run(async (db): Promise<Outcome<void>> => {
      const existing = await db
        .selectFrom("tenants")
        .select("id")
        .where("name", "=", name)
        .executeTakeFirst();
      if (existing !== undefined) {
        return fail(
          badInput(
            `A tenant named "${name}" already exists. To get a new admin token for it, run: hush-server token create --tenant ${name} --role TENANT_ADMIN --name admin-2`,
          ),
        );
      }
      const created = nowIso(this.#context);
      await db
        .insertInto("tenants")
        .values({ ...tenant, created })
        .execute();
      await insertFirstEnvironment(db, tenant.id, created);
      return this.#insertToken(db, tenant.id, tokenId, "admin", "TENANT_ADMIN", token, null);
    });
    unwrap(outcome);
    return { tenant, token };
  }

  async createTokenOffline(input: {
    tenantName: string;
    role: Role;
    name: string;
    expiresAt?: Date | null;
    environments?: readonly string[] | null;
  }): Promise<{ id: string; token: string }> {
    const tenantName = validateTenantName(input.tenantName);
    const environments =
      input.environments == null ? null : [...new Set(input.environments)].sort();
    for (const environment of environments ?? []) validateEnvironmentName(environment);
    if (environments?.length === 0) {
      throw badInput("A token's environments must name at least one; omit them for every one.");
    }
    const name = validateTokenName(input.name);
    const role = validateRole(input.role);
    const expiresAt = validateExpiry(input.expiresAt, this.#context.clock());
    const token = generateApiToken();
    const id = newId();
    const outcome = await this.#context.writer.run(async (db): Promise<Outcome<void>> => {
      const tenant = await db
        .selectFrom("tenants")
        .select("id")
        .where("name", "=", tenantName)
        .executeTakeFirst();
      if (tenant === undefined) return fail(tenantNotFound(tenantName));
      if (environments !== null) {
        const known = await db
          .selectFrom("environments")
          .select("name")
          .where("tenant_id", "=", tenant.id)
          .execute();
        const names = known.map((row) => row.name);
        const unknown = environments.find((environment) => !names.includes(environment));
        if (unknown !== undefined) {
          return fail(
            badInput(
              `There is no environment "${unknown}" in tenant "${tenantName}" (it has: ${names.join(", ")}).`,
              { argument: "environments" },
            ),
          );
        }
      }
      return this.#insertToken(db, tenant.id, id, name, role, token, expiresAt, environments);
    });
    unwrap(outcome);
    return { id, token };
  }

  async listTokensOffline(tenantName?: string): Promise<OfflineTokenMeta[]> {
    let query = tokensWithTenantNames(this.#context.db);
    if (tenantName !== undefined) {
      const name = validateTenantName(tenantName);
      const tenant = await this.#context.db
        .selectFrom("tenants")
        .select("id")
        .where("name", "=", name)
        .executeTakeFirst();
      if (tenant === undefined) throw tenantNotFound(name);
      query = query.where("t.tenant_id", "=", tenant.id);
    }
    const rows = await query.orderBy("tenants.name").orderBy("t.created").orderBy("t.id").execute();
    return rows.map((r) => ({ ...toTokenMeta(r), tenantName: r.tenant_name }));
  }

  /**
   * Revokes a token in whichever tenant. The last active TENANT_ADMIN token of a tenant is
   * revoked only with `force` (a leaked admin token that must stop at once).
   */
  async revokeTokenOffline(
    id: string,
    options: { force?: boolean } = {},
  ): Promise<OfflineTokenMeta & { wasRevoked: boolean }> {
    if (typeof id !== "string" || id.length === 0 || id.length > 100) {
      throw badInput("The token id must be an id shown by: hush-server token list");
    }
    const outcome = await this.#context.writer.run(
      async (
        db,
      ): Promise<Outcome<OfflineTokenMeta & { wasRevoked: boolean; tokenHash: string }>> => {
        const row = await tokensWithTenantNames(db)
          .select(["t.tenant_id", "t.token_hash"])
          .where("t.id", "=", id)
          .executeTakeFirst();
        if (row === undefined) {
          return fail(
            new ServiceError(
              "NOT_FOUND",
              `There is no API token with the id ${id}; hush-server token list shows the ids.`,
            ),
          );
        }
        if (options.force !== true && (await isLastActiveAdmin(db, this.#context, row))) {
          return fail(
            badInput(
              `The token ${id} is the last active TENANT_ADMIN token of tenant "${row.tenant_name}". Create another one first: hush-server token create --tenant ${row.tenant_name} --role TENANT_ADMIN --name admin-2; or pass --force to revoke it anyway (then only hush-server token create can make a new admin token).`,
            ),
          );
        }
        const revokedAt = await markRevoked(db, this.#context, id, row.revoked_at);
        await insertAuditEvents(db, this.#context.clock(), [
          {
            tenantId: row.tenant_id,
            action: "REVOKE_API_TOKEN",
            outcome: "SUCCESS",
            actor: OFFLINE_ACTOR,
            actorTokenId: null,
            target: id,
          },
        ]);
        return ok({
          ...toTokenMeta({ ...row, revoked_at: revokedAt }),
          tenantName: row.tenant_name,
          wasRevoked: row.revoked_at !== null,
          tokenHash: row.token_hash,
        });
      },
    );
    const { tokenHash, ...revoked } = unwrap(outcome);
    this.#authenticator.forget(tokenHash);
    return revoked;
  }

  async listTenants(): Promise<TenantInfo[]> {
    const rows = await this.#context.db
      .selectFrom("tenants")
      .select(["id", "name", "created"])
      .orderBy("created")
      .orderBy("id")
      .execute();
    return rows.map((r) => ({ id: r.id, name: r.name, created: new Date(r.created) }));
  }

  /** Stores a token created by the `hush-server` command, audited, in the transaction `db`. */
  async #insertToken(
    db: Kysely<Database>,
    tenantId: string,
    id: string,
    name: string,
    role: Role,
    token: string,
    expiresAt: Date | null,
    environments: readonly string[] | null = null,
  ): Promise<Outcome<void>> {
    const inserted = await insertTokenRow(db, {
      id,
      tenant_id: tenantId,
      name,
      role,
      token_hash: hashApiToken(token),
      created: nowIso(this.#context),
      created_by: OFFLINE_ACTOR,
      expires_at: expiresAt?.toISOString() ?? null,
      revoked_at: null,
      environments: environments === null ? null : JSON.stringify(environments),
    });
    if (!inserted.ok) return inserted;
    await insertAuditEvents(db, this.#context.clock(), [
      {
        tenantId,
        action: "CREATE_API_TOKEN",
        outcome: "SUCCESS",
        actor: OFFLINE_ACTOR,
        actorTokenId: null,
        target: id,
      },
    ]);
    return inserted;
  }
}
