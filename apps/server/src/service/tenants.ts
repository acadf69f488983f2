import type { Kysely } from "kysely";
import { generateApiToken, hashApiToken } from "../auth/api-token.js";
import type { Database } from "../storage/schema.js";
import { insertAuditEvents } from "./audit.js";
import type { Role } from "./contract.js";
import type { TenantInfo } from "./hush-service.js";
import { newId } from "./new-id.js";
import { tenantNotFound } from "./not-found.js";
import { fail, type Outcome, ok, unwrap } from "./outcome.js";
import { nowIso, type ServiceContext } from "./service-context.js";
import { validateExpiry, validateRole } from "./token-input.js";
import { badInput, validateTenantName, validateTokenName } from "./validation.js";

/** Who the audit log names for what the `hush-server` command did. */
const OFFLINE_ACTOR = "hush-server";

/** The admin operations of the `hush-server` command: tenants and their way-back-in tokens. */
export class Tenants {
  readonly #context: ServiceContext;

  constructor(context: ServiceContext) {
    this.#context = context;
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
      await db
        .insertInto("tenants")
        .values({ ...tenant, created: nowIso(this.#context) })
        .execute();
      await this.#insertToken(db, tenant.id, tokenId, "admin", "TENANT_ADMIN", token, null);
      return ok(undefined);
    });
    unwrap(outcome);
    return { tenant, token };
  }

  async createTokenOffline(input: {
    tenantName: string;
    role: Role;
    name: string;
    expiresAt?: Date | null;
  }): Promise<{ id: string; token: string }> {
    const tenantName = validateTenantName(input.tenantName);
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
      await this.#insertToken(db, tenant.id, id, name, role, token, expiresAt);
      return ok(undefined);
    });
    unwrap(outcome);
    return { id, token };
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
  ): Promise<void> {
    await db
      .insertInto("api_tokens")
      .values({
        id,
        tenant_id: tenantId,
        name,
        role,
        token_hash: hashApiToken(token),
        created: nowIso(this.#context),
        created_by: OFFLINE_ACTOR,
        expires_at: expiresAt?.toISOString() ?? null,
        revoked_at: null,
      })
      .execute();
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
  }
}
