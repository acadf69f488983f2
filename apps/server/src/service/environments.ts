import { environmentNameError } from "@hush/schema";
import type { Kysely } from "kysely";
import { notifyChange } from "../storage/change-notifications.js";
import { FIRST_ENVIRONMENT } from "../storage/migrations/0004-environments.js";
import type { Database } from "../storage/schema.js";
import type { AuditLog } from "./audit/audit-log.js";
import type { ChangeFeed } from "./change-feed.js";
import type { ChangeEntry, ChangeLog } from "./changes/change-log.js";
import type { AuditAction, Caller, EnvCaller, EnvironmentMeta } from "./contract.js";
import { ServiceError } from "./errors.js";
import { newId } from "./new-id.js";
import { NotifiedCache } from "./notified-cache.js";
import { fail, type Outcome, ok, unwrap } from "./outcome.js";
import { forbiddenExtensions } from "./roles.js";
import { nowIso, type ServiceContext } from "./service-context.js";
import { badInput } from "./validation.js";

export { FIRST_ENVIRONMENT };

/** One environment of a tenant, as cached. */
export interface EnvironmentRow {
  readonly id: string;
  readonly name: string;
  readonly isDefault: boolean;
  readonly created: string;
}

/** Checks an environment name against the rule in `@hush/schema`; never echoes a bad one. */
export function validateEnvironmentName(name: unknown): string {
  const error = environmentNameError(name);
  if (error !== undefined) throw badInput(error, { argument: "environment" });
  return name as string;
}

/** The first environment of a new tenant: `production`, its default, with the tenant's id. */
export async function insertFirstEnvironment(
  db: Kysely<Database>,
  tenantId: string,
  created: string,
): Promise<void> {
  await db
    .insertInto("environments")
    .values({ id: tenantId, tenant_id: tenantId, name: FIRST_ENVIRONMENT, is_default: 1, created })
    .execute();
}

/** The BAD_USER_INPUT of an environment the tenant does not have, naming it and the others. */
function unknownEnvironment(name: string, rows: readonly EnvironmentRow[]): ServiceError {
  const names = rows.map((row) => row.name).join(", ");
  return badInput(
    `There is no environment "${name}" in this tenant (it has: ${names}). Name one of them, or ask a tenant admin to create it.`,
    { argument: "environment" },
  );
}

/**
 * A tenant's environments: which one a request acts in (and whether its token may), and their
 * administration. Each tenant's list is cached, dropped when this process changes it and on
 * other replicas' notices (`environments`), so a request in the hot path costs a map lookup.
 */
export class Environments {
  readonly #context: ServiceContext;
  readonly #audit: AuditLog;
  readonly #log: ChangeLog;
  readonly #cache: NotifiedCache<string, readonly EnvironmentRow[]>;

  constructor(
    context: ServiceContext,
    audit: AuditLog,
    log: ChangeLog,
    options: { ttlMs: number; changes?: ChangeFeed | undefined },
  ) {
    this.#context = context;
    this.#audit = audit;
    this.#log = log;
    this.#cache = new NotifiedCache({
      ...options,
      maxEntries: 10_000,
      clock: context.clock,
      kind: "environments",
    });
  }

  /** The tenant's environments, sorted by name. */
  async ofTenant(tenantId: string): Promise<readonly EnvironmentRow[]> {
    const cached = this.#cache.get(tenantId);
    if (cached !== undefined) return cached;
    const rows = await this.#context.db
      .selectFrom("environments")
      .select(["id", "name", "is_default", "created"])
      .where("tenant_id", "=", tenantId)
      .orderBy("name")
      .execute();
    const list = Object.freeze(
      rows.map((r) =>
        Object.freeze({
          id: r.id,
          name: r.name,
          isDefault: r.is_default === 1,
          created: r.created,
        }),
      ),
    );
    this.#cache.set(tenantId, list);
    return list;
  }

  /** Drops the cached list of a tenant (after this process changed it). */
  forget(tenantId: string): void {
    this.#cache.delete(tenantId);
  }

  /**
   * The environment a request acts in: the one it names; else the token's only environment;
   * else the tenant's default. An unknown name is BAD_USER_INPUT naming it; one outside the
   * token's environments is FORBIDDEN, recorded as a refusal of `action` when one is given.
   */
  async resolve(
    caller: Caller,
    name: string | null | undefined,
    action?: AuditAction,
  ): Promise<EnvCaller> {
    const rows = await this.ofTenant(caller.tenantId);
    const scope = caller.environments ?? null;
    let row: EnvironmentRow | undefined;
    if (name != null) {
      validateEnvironmentName(name);
      row = rows.find((r) => r.name === name);
      if (row === undefined) throw unknownEnvironment(name, rows);
    } else if (scope !== null && scope.length === 1) {
      const only = scope[0]!;
      row = rows.find((r) => r.name === only);
      if (row === undefined) throw unknownEnvironment(only, rows);
    } else {
      row = rows.find((r) => r.isDefault) ?? rows[0];
      if (row === undefined) throw new Error(`Tenant ${caller.tenantId} has no environment.`);
    }
    const scoped: EnvCaller = { ...caller, environmentId: row.id, environmentName: row.name };
    if (scope !== null && !scope.includes(row.name)) {
      if (action !== undefined) await this.#audit.record(scoped, action, "DENIED");
      throw outOfScope(caller, row.name);
    }
    return scoped;
  }

  /** The default a request without `environment` gets (what `me.environment` shows). */
  async defaultName(caller: Caller): Promise<string> {
    const scope = caller.environments ?? null;
    if (scope !== null && scope.length === 1) return scope[0]!;
    const rows = await this.ofTenant(caller.tenantId);
    return (rows.find((r) => r.isDefault) ?? rows[0])?.name ?? FIRST_ENVIRONMENT;
  }

  /** The tenant's environments the caller's token may use, with their secret counts. */
  async list(caller: Caller): Promise<EnvironmentMeta[]> {
    const rows = await this.ofTenant(caller.tenantId);
    const scope = caller.environments ?? null;
    const counts = await this.#context.db
      .selectFrom("secrets")
      .select((eb) => ["environment_id", eb.fn.countAll<number>().as("n")])
      .where("tenant_id", "=", caller.tenantId)
      .where("deleted", "=", 0)
      .groupBy("environment_id")
      .execute();
    const byId = new Map(counts.map((c) => [c.environment_id, Number(c.n)]));
    return rows
      .filter((row) => scope === null || scope.includes(row.name))
      .map((row) => toMeta(row, byId.get(row.id) ?? 0));
  }

  async create(caller: Caller, name: string): Promise<EnvironmentMeta> {
    validateEnvironmentName(name);
    await this.#audit.require(caller, "manageEnvironments", "CREATE_ENVIRONMENT", {
      environmentName: name,
    });
    const row = { id: newId(), name, isDefault: false, created: nowIso(this.#context) };
    const outcome = await this.#context.writer.run(async (db): Promise<Outcome<void>> => {
      const inserted = await db
        .insertInto("environments")
        .values({
          id: row.id,
          tenant_id: caller.tenantId,
          name,
          is_default: 0,
          created: row.created,
        })
        .onConflict((oc) => oc.columns(["tenant_id", "name"]).doNothing())
        .executeTakeFirst();
      if (inserted.numInsertedOrUpdatedRows === 0n) {
        return fail(badInput(`The environment "${name}" already exists in this tenant.`));
      }
      const created = { ...caller, environmentId: row.id, environmentName: name };
      await this.#audit.recordIn(db, created, "CREATE_ENVIRONMENT", "SUCCESS");
      await this.#log.recordIn(db, caller, [environmentChange(name, "CREATE_ENVIRONMENT")]);
      await notifyChange(db, this.#context.backend, "environments");
      return ok(undefined);
    });
    this.forget(caller.tenantId);
    unwrap(outcome);
    this.#log.committed(caller.tenantId);
    return toMeta(row, 0);
  }

  async delete(caller: Caller, name: string, force: boolean): Promise<void> {
    const env = await this.#administered(caller, name, "DELETE_ENVIRONMENT");
    const outcome = await this.#context.writer.run(async (db): Promise<Outcome<void>> => {
      const rows = await db
        .selectFrom("environments")
        .select(["id", "is_default"])
        .where("tenant_id", "=", caller.tenantId)
        .execute();
      const row = rows.find((r) => r.id === env.environmentId);
      if (row === undefined) {
        // Deleted by another request since it was resolved.
        await this.#audit.recordIn(db, env, "DELETE_ENVIRONMENT", "NOT_FOUND");
        return fail(unknownEnvironment(name, []));
      }
      if (rows.length === 1) {
        return fail(
          badInput(`The environment "${name}" is the tenant's last one; it cannot be deleted.`),
        );
      }
      if (row.is_default === 1) {
        return fail(
          badInput(
            `The environment "${name}" is the tenant's default; make another one the default first (setDefaultEnvironment).`,
          ),
        );
      }
      const live = await db
        .selectFrom("secrets")
        .select("name")
        .where("tenant_id", "=", caller.tenantId)
        .where("environment_id", "=", row.id)
        .where("deleted", "=", 0)
        .orderBy("name")
        .execute();
      if (live.length > 0 && !force) {
        return fail(
          badInput(
            `The environment "${name}" holds ${live.length} secrets; delete them first, or pass force: true to delete it with them.`,
          ),
        );
      }
      const where = { tenant_id: caller.tenantId, environment_id: row.id } as const;
      await db
        .deleteFrom("secret_versions")
        .where("tenant_id", "=", where.tenant_id)
        .where("environment_id", "=", where.environment_id)
        .execute();
      await db
        .deleteFrom("secrets")
        .where("tenant_id", "=", where.tenant_id)
        .where("environment_id", "=", where.environment_id)
        .execute();
      await db.deleteFrom("environments").where("id", "=", row.id).execute();
      // The secrets that went with it, named as a call over several secrets names them.
      await this.#audit.recordIn(db, env, "DELETE_ENVIRONMENT", "SUCCESS", {
        secretNames: live.map((s) => s.name),
      });
      await this.#log.recordIn(db, caller, [environmentChange(name, "DELETE_ENVIRONMENT")]);
      await notifyChange(db, this.#context.backend, "environments");
      return ok(undefined);
    });
    this.forget(caller.tenantId);
    unwrap(outcome);
    this.#log.committed(caller.tenantId);
  }

  async setDefault(caller: Caller, name: string): Promise<EnvironmentMeta> {
    const env = await this.#administered(caller, name, "SET_DEFAULT_ENVIRONMENT");
    const outcome = await this.#context.writer.run(async (db): Promise<Outcome<void>> => {
      const row = await db
        .selectFrom("environments")
        .select("id")
        .where("id", "=", env.environmentId)
        .executeTakeFirst();
      if (row === undefined) {
        // Deleted by another request since it was resolved: the tenant keeps its default.
        await this.#audit.recordIn(db, env, "SET_DEFAULT_ENVIRONMENT", "NOT_FOUND");
        return fail(unknownEnvironment(name, []));
      }
      await db
        .updateTable("environments")
        .set((eb) => ({
          is_default: eb.case().when("id", "=", env.environmentId).then(1).else(0).end(),
        }))
        .where("tenant_id", "=", caller.tenantId)
        .execute();
      await this.#audit.recordIn(db, env, "SET_DEFAULT_ENVIRONMENT", "SUCCESS");
      await notifyChange(db, this.#context.backend, "environments");
      return ok(undefined);
    });
    this.forget(caller.tenantId);
    unwrap(outcome);
    const meta = (await this.list({ ...caller, environments: null })).find((e) => e.name === name);
    if (meta === undefined) throw unknownEnvironment(name, await this.ofTenant(caller.tenantId));
    return meta;
  }

  /**
   * The environment an admin operation names, each refusal audited as `action`: FORBIDDEN
   * (DENIED) for a role that may not manage environments or a token scoped away from it,
   * BAD_USER_INPUT (NOT_FOUND) for a name the tenant does not have.
   */
  async #administered(caller: Caller, name: string, action: AuditAction): Promise<EnvCaller> {
    validateEnvironmentName(name);
    const rows = await this.ofTenant(caller.tenantId);
    const row = rows.find((r) => r.name === name);
    const about: Caller | EnvCaller =
      row === undefined ? caller : { ...caller, environmentId: row.id, environmentName: row.name };
    await this.#audit.require(about, "manageEnvironments", action, { environmentName: name });
    if (row === undefined) {
      await this.#audit.record(about, action, "NOT_FOUND", { environmentName: name });
      throw unknownEnvironment(name, rows);
    }
    return this.resolve(caller, name, action);
  }

  /** Checks that every name is one of the tenant's environments (for a token's scope). */
  async validateScope(
    tenantId: string,
    names: readonly string[] | null | undefined,
  ): Promise<string[] | null> {
    if (names == null) return null;
    if (names.length === 0) {
      throw badInput("A token's environments must name at least one; omit them for every one.", {
        argument: "environments",
      });
    }
    const rows = await this.ofTenant(tenantId);
    for (const name of names) {
      validateEnvironmentName(name);
      if (!rows.some((r) => r.name === name)) throw unknownEnvironment(name, rows);
    }
    return [...new Set(names)].sort();
  }
}

function environmentChange(
  name: string,
  action: "CREATE_ENVIRONMENT" | "DELETE_ENVIRONMENT",
): ChangeEntry {
  return { environmentName: name, secretName: null, action, version: null };
}

function toMeta(row: EnvironmentRow, secretCount: number): EnvironmentMeta {
  return { name: row.name, isDefault: row.isDefault, created: new Date(row.created), secretCount };
}

/** The FORBIDDEN error of an environment outside the token's environments. */
export function outOfScope(caller: Caller, environment: string): ServiceError {
  const allowed = (caller.environments ?? []).join(", ");
  return new ServiceError(
    "FORBIDDEN",
    `This token may use only the environments ${allowed}, not "${environment}". Ask a tenant admin for a token scoped to it.`,
    { extensions: { ...forbiddenExtensions(caller, "useEnvironment"), environment } },
  );
}
