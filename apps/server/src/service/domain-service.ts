import { HushError } from "@hush/errors";
import { type Kysely, sql } from "kysely";
import type { Logger } from "pino";
import { generateApiToken, hashApiToken, looksLikeApiToken } from "../auth/api-token.js";
import { TokenCache } from "../auth/token-cache.js";
import { openValue, type SealedValue, sealValue } from "../crypto/envelope.js";
import type { KeyRing } from "../crypto/key-ring.js";
import { prepareQuery, type QueryRunner } from "../storage/prepared-query.js";
import type { Database, DialectName, SecretVersionsTable } from "../storage/schema.js";
import type { Writer } from "../storage/writer.js";
import { type AuditEntry, AuditInserts, insertAuditEvents } from "./audit.js";
import { AuditBatcher } from "./audit-batcher.js";
import type {
  ApiTokenMeta,
  AuditEventRecord,
  Caller,
  ListSecretsQuery,
  Role,
  SecretMeta,
  SecretVersionMeta,
} from "./contract.js";
import { ServiceError } from "./errors.js";
import type { HushService, TenantInfo } from "./hush-service.js";
import { newId } from "./new-id.js";
import { forbidden, isAllowed, type Permission } from "./roles.js";
import {
  badInput,
  serializeValue,
  validateSecretName,
  validateTenantName,
  validateTokenId,
  validateTokenName,
} from "./validation.js";

const ROLES: readonly Role[] = ["TENANT_ADMIN", "USER", "RUNNER", "READ_ONLY_USER"];
const OFFLINE_ACTOR = "hush-server";
const MAX_VALUES_PER_CALL = 1000;
// OFFSET needs a LIMIT on SQLite; this stands for "no limit" and binds as an integer everywhere.
const NO_LIMIT = 2_147_483_647;

/** Settings of a {@link DomainService}, filled in by `openService`. */
export interface DomainServiceOptions {
  db: Kysely<Database>;
  /** Runs the hot read queries on `db`'s connection. */
  read: QueryRunner;
  dialect: DialectName;
  writer: Writer;
  keyRing: KeyRing;
  maxValueBytes: number;
  maxVersions: number;
  tokenCacheTtlMs: number;
  clock: () => Date;
  logger: Logger | undefined;
  /** Runs after the writer drained, to release the database. */
  destroy: () => Promise<void>;
}

// A write job reports expected failures as a value, so that its audit event commits with it
// and a batch of other jobs is not rolled back for an ordinary NOT_FOUND.
type Outcome<T> = { ok: true; value: T } | { ok: false; error: ServiceError };
const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const fail = (error: ServiceError): Outcome<never> => ({ ok: false, error });
function unwrap<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

type VersionRow = Pick<
  SecretVersionsTable,
  "key_id" | "wrapped_key" | "iv" | "ciphertext" | "auth_tag"
>;

function sealedOf(row: VersionRow): SealedValue | undefined {
  if (
    row.key_id === null ||
    row.wrapped_key === null ||
    row.iv === null ||
    row.ciphertext === null ||
    row.auth_tag === null
  ) {
    return undefined;
  }
  return {
    keyId: row.key_id,
    wrappedKey: Buffer.from(row.wrapped_key),
    iv: Buffer.from(row.iv),
    ciphertext: Buffer.from(row.ciphertext),
    authTag: Buffer.from(row.auth_tag),
  };
}

function secretNotFound(caller: Caller, name: string): ServiceError {
  return new ServiceError(
    "NOT_FOUND",
    `The secret ${name} was not found in tenant "${caller.tenantName}".`,
  );
}

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

/** The server's domain: every rule of the API, over one database. */
export class DomainService implements HushService {
  readonly backend: DialectName;
  readonly #o: DomainServiceOptions;
  readonly #db: Kysely<Database>;
  readonly #tokens: TokenCache<Caller>;
  #closing: Promise<void> | undefined;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #auditLog: AuditBatcher;
  // The queries of the frequent calls, compiled once.
  readonly #currentVersion;
  readonly #liveNames;

  constructor(options: DomainServiceOptions) {
    this.#o = options;
    const db = options.db;
    this.#db = db;
    this.backend = options.dialect;
    this.#auditLog = new AuditBatcher(options.writer, new AuditInserts(db), options.clock);
    this.#tokens = new TokenCache<Caller>({
      ttlMs: options.tokenCacheTtlMs,
      maxEntries: 10_000,
      now: () => options.clock().getTime(),
    });
    this.#currentVersion = prepareQuery(options.read, ["tenantId", "name"], (p) =>
      db
        .selectFrom("secrets as s")
        .innerJoin("secret_versions as v", (join) =>
          join
            .onRef("v.tenant_id", "=", "s.tenant_id")
            .onRef("v.name", "=", "s.name")
            .onRef("v.version", "=", "s.current_version"),
        )
        .select(["v.version", "v.key_id", "v.wrapped_key", "v.iv", "v.ciphertext", "v.auth_tag"])
        .where("s.tenant_id", "=", p.tenantId)
        .where("s.name", "=", p.name)
        .where("s.deleted", "=", 0),
    );
    this.#liveNames = prepareQuery(options.read, ["tenantId"], (p) =>
      db
        .selectFrom("secrets")
        .select("name")
        .where("tenant_id", "=", p.tenantId)
        .where("deleted", "=", 0)
        .orderBy("name"),
    );
  }

  // ---- auth ----------------------------------------------------------------------------------

  authenticate(token: string): Promise<Caller | undefined> {
    return this.#track(async () => {
      if (typeof token !== "string" || !looksLikeApiToken(token)) return undefined;
      const hash = hashApiToken(token);
      const cached = this.#tokens.get(hash);
      if (cached !== undefined) return cached.value;

      const row = await this.#db
        .selectFrom("api_tokens as t")
        .innerJoin("tenants", "tenants.id", "t.tenant_id")
        .select([
          "t.id",
          "t.name",
          "t.role",
          "t.expires_at",
          "t.revoked_at",
          "tenants.id as tenant_id",
          "tenants.name as tenant_name",
        ])
        .where("t.token_hash", "=", hash)
        .executeTakeFirst();
      const now = this.#o.clock().getTime();
      const expiresAt = row?.expires_at == null ? undefined : Date.parse(row.expires_at);
      if (
        row === undefined ||
        row.revoked_at !== null ||
        (expiresAt !== undefined && expiresAt <= now)
      ) {
        this.#tokens.set(hash, undefined);
        return undefined;
      }
      const caller: Caller = Object.freeze({
        tenantId: row.tenant_id,
        tenantName: row.tenant_name,
        tokenId: row.id,
        tokenName: row.name,
        role: row.role,
      });
      this.#tokens.set(hash, caller, expiresAt);
      return caller;
    });
  }

  // ---- secrets: writes -----------------------------------------------------------------------

  setSecret(caller: Caller, name: string, value: unknown): Promise<{ version: number }> {
    return this.#track(async () => {
      validateSecretName(name);
      await this.#require(caller, "writeSecrets", "SET_SECRET", name);
      const plaintext = serializeValue(value, this.#o.maxValueBytes);
      const version = await this.#write(async (db) => {
        const now = this.#now();
        // Creates the row if it is missing so that it can be locked: concurrent first writes of a
        // name then queue on the same lock instead of colliding on the primary key.
        await db
          .insertInto("secrets")
          .values({
            tenant_id: caller.tenantId,
            name,
            current_version: 0,
            created: now,
            updated: now,
            updated_by: caller.tokenName,
            deleted: 1,
          })
          .onConflict((oc) => oc.columns(["tenant_id", "name"]).doNothing())
          .execute();
        const row = (await this.#lockSecret(db, caller.tenantId, name))!;
        // Read the clock after the lock: versions and their times then increase together.
        const written = await this.#writeValueVersion(
          db,
          caller,
          name,
          row,
          plaintext,
          this.#now(),
        );
        await this.#auditIn(db, caller, "SET_SECRET", "SUCCESS", {
          secretName: name,
          version: written,
        });
        return written;
      });
      return { version };
    });
  }

  deleteSecret(caller: Caller, name: string): Promise<void> {
    return this.#track(async () => {
      validateSecretName(name);
      await this.#require(caller, "writeSecrets", "DELETE_SECRET", name);
      const outcome = await this.#write(async (db): Promise<Outcome<void>> => {
        const row = await this.#lockSecret(db, caller.tenantId, name);
        if (row === undefined || row.deleted) {
          await this.#auditIn(db, caller, "DELETE_SECRET", "NOT_FOUND", { secretName: name });
          return fail(secretNotFound(caller, name));
        }
        const version = row.current_version + 1;
        await this.#appendVersion(db, caller, name, row, version, this.#now(), undefined);
        await this.#auditIn(db, caller, "DELETE_SECRET", "SUCCESS", { secretName: name, version });
        return ok(undefined);
      });
      unwrap(outcome);
    });
  }

  rollbackSecret(caller: Caller, name: string, version: number): Promise<{ version: number }> {
    return this.#track(async () => {
      validateSecretName(name);
      if (!Number.isSafeInteger(version) || version < 1) {
        throw badInput("The version to roll back to must be a whole number from 1 upwards.");
      }
      await this.#require(caller, "writeSecrets", "ROLLBACK_SECRET", name);
      const outcome = await this.#write(async (db): Promise<Outcome<number>> => {
        const row = await this.#lockSecret(db, caller.tenantId, name);
        if (row === undefined) {
          await this.#auditIn(db, caller, "ROLLBACK_SECRET", "NOT_FOUND", { secretName: name });
          return fail(secretNotFound(caller, name));
        }
        const target = await db
          .selectFrom("secret_versions")
          .select(["deleted", "key_id", "wrapped_key", "iv", "ciphertext", "auth_tag"])
          .where("tenant_id", "=", caller.tenantId)
          .where("name", "=", name)
          .where("version", "=", version)
          .executeTakeFirst();
        if (target === undefined) {
          await this.#auditIn(db, caller, "ROLLBACK_SECRET", "NOT_FOUND", {
            secretName: name,
            version,
          });
          return fail(
            new ServiceError(
              "NOT_FOUND",
              `Version ${version} of the secret ${name} was not found in tenant "${caller.tenantName}"; secretVersions lists the versions there are.`,
            ),
          );
        }
        const sealed = sealedOf(target);
        if (sealed === undefined) {
          const why = target.deleted
            ? "marks a deletion"
            : `is older than the ${this.#o.maxVersions} values kept`;
          return fail(
            badInput(
              `Version ${version} of the secret ${name} has no value to restore (it ${why}); roll back to a version with hasValue: true.`,
            ),
          );
        }
        const plaintext = this.#open(caller, name, version, sealed);
        const now = this.#now();
        const written = await this.#writeValueVersion(db, caller, name, row, plaintext, now);
        await this.#auditIn(db, caller, "ROLLBACK_SECRET", "SUCCESS", {
          secretName: name,
          version: written,
        });
        return ok(written);
      });
      return { version: unwrap(outcome) };
    });
  }

  // ---- secrets: value reads ------------------------------------------------------------------

  secretValue(caller: Caller, name: string): Promise<unknown> {
    return this.#track(async () => {
      validateSecretName(name);
      await this.#require(caller, "readValues", "READ_SECRET_VALUE", name);
      const [row] = await this.#currentVersion({ tenantId: caller.tenantId, name });
      const sealed = row === undefined ? undefined : sealedOf(row);
      if (row === undefined || sealed === undefined) {
        await this.#auditAlone(caller, "READ_SECRET_VALUE", "NOT_FOUND", { secretName: name });
        throw secretNotFound(caller, name);
      }
      const value: unknown = JSON.parse(
        this.#open(caller, name, row.version, sealed).toString("utf8"),
      );
      // The read is acknowledged only once its audit event is committed.
      await this.#auditAlone(caller, "READ_SECRET_VALUE", "SUCCESS", {
        secretName: name,
        version: row.version,
      });
      return value;
    });
  }

  secretValues(caller: Caller, names: readonly string[]): Promise<Record<string, unknown>> {
    return this.#track(async () => {
      if (!Array.isArray(names)) throw badInput("names must be a list of secret names.");
      if (names.length > MAX_VALUES_PER_CALL) {
        throw badInput(
          `At most ${MAX_VALUES_PER_CALL} names can be read in one call; split the list.`,
        );
      }
      for (const name of names) validateSecretName(name);
      const unique = [...new Set(names)];
      if (!isAllowed(caller, "readValues")) {
        await this.#writeAudit(
          unique.map((name) =>
            this.#audit(caller, "READ_SECRET_VALUE", "DENIED", { secretName: name }),
          ),
        );
        throw forbidden(caller, "readValues");
      }
      const rows = [];
      for (let i = 0; i < unique.length; i += 500) {
        rows.push(
          ...(await this.#db
            .selectFrom("secrets as s")
            .innerJoin("secret_versions as v", (join) =>
              join
                .onRef("v.tenant_id", "=", "s.tenant_id")
                .onRef("v.name", "=", "s.name")
                .onRef("v.version", "=", "s.current_version"),
            )
            .select([
              "s.name",
              "v.version",
              "v.key_id",
              "v.wrapped_key",
              "v.iv",
              "v.ciphertext",
              "v.auth_tag",
            ])
            .where("s.tenant_id", "=", caller.tenantId)
            .where("s.name", "in", unique.slice(i, i + 500))
            .where("s.deleted", "=", 0)
            .execute()),
        );
      }
      const found = new Map(rows.map((row) => [row.name, row]));
      const missing = unique.filter((name) => {
        const row = found.get(name);
        return row === undefined || sealedOf(row) === undefined;
      });
      if (missing.length > 0) {
        await this.#writeAudit(
          missing.map((name) =>
            this.#audit(caller, "READ_SECRET_VALUE", "NOT_FOUND", { secretName: name }),
          ),
        );
        const list = missing.slice(0, 10).join(", ") + (missing.length > 10 ? ", …" : "");
        throw new ServiceError(
          "NOT_FOUND",
          missing.length === 1
            ? `The secret ${missing[0]} was not found in tenant "${caller.tenantName}".`
            : `${missing.length} secrets were not found in tenant "${caller.tenantName}": ${list}.`,
          { extensions: { names: missing } },
        );
      }
      const entries = unique.map((name) => {
        const row = found.get(name)!;
        const plain = this.#open(caller, name, row.version, sealedOf(row)!);
        return [name, JSON.parse(plain.toString("utf8")) as unknown] as const;
      });
      await this.#writeAudit(
        unique.map((name) =>
          this.#audit(caller, "READ_SECRET_VALUE", "SUCCESS", {
            secretName: name,
            version: found.get(name)!.version,
          }),
        ),
      );
      // fromEntries defines own properties, so a secret named __proto__ is just a key.
      return Object.fromEntries(entries);
    });
  }

  // ---- secrets: metadata ---------------------------------------------------------------------

  secretNames(caller: Caller): Promise<string[]> {
    return this.#track(async () => {
      const rows = await this.#liveNames({ tenantId: caller.tenantId });
      return rows.map((r) => r.name);
    });
  }

  listSecrets(caller: Caller, query: ListSecretsQuery): Promise<SecretMeta[]> {
    return this.#track(async () => {
      const { limit, offset } = query;
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) {
        throw badInput("limit must be a whole number from 1 to 1000.");
      }
      if (offset !== undefined && (!Number.isInteger(offset) || offset < 0)) {
        throw badInput("offset must be a whole number, 0 or more.");
      }
      const filter = query.where?.name;
      if (filter?._in != null && filter._in.length === 0) return [];

      let q = this.#db
        .selectFrom("secrets")
        .select(["name", "current_version", "created", "updated", "updated_by"])
        .where("tenant_id", "=", caller.tenantId)
        .where("deleted", "=", 0);
      if (filter?._eq != null) q = q.where("name", "=", filter._eq);
      // An explicit ESCAPE: SQLite has no default escape character, PostgreSQL's is the backslash.
      if (filter?._like != null) q = q.where(sql<boolean>`name like ${filter._like} escape '\\'`);
      if (filter?._in != null) q = q.where("name", "in", [...filter._in]);
      for (const { field, direction } of query.orderBy) q = q.orderBy(field, direction);
      if (!query.orderBy.some((o) => o.field === "name")) q = q.orderBy("name", "asc");
      if (limit !== undefined || offset !== undefined) q = q.limit(limit ?? NO_LIMIT);
      if (offset !== undefined) q = q.offset(offset);

      const rows = await q.execute();
      return rows.map((r) => ({
        name: r.name,
        version: r.current_version,
        created: new Date(r.created),
        updated: new Date(r.updated),
        updatedBy: r.updated_by,
      }));
    });
  }

  secretVersions(caller: Caller, name: string): Promise<SecretVersionMeta[]> {
    return this.#track(async () => {
      validateSecretName(name);
      const rows = await this.#db
        .selectFrom("secret_versions")
        .select([
          "version",
          "created",
          "created_by",
          "deleted",
          sql<number>`case when ciphertext is null then 0 else 1 end`.as("has_value"),
        ])
        .where("tenant_id", "=", caller.tenantId)
        .where("name", "=", name)
        .orderBy("version", "desc")
        .execute();
      if (rows.length === 0) throw secretNotFound(caller, name);
      return rows.map((r) => ({
        version: r.version,
        created: new Date(r.created),
        createdBy: r.created_by,
        hasValue: Number(r.has_value) === 1,
        deleted: r.deleted === 1,
      }));
    });
  }

  // ---- tokens --------------------------------------------------------------------------------

  createApiToken(
    caller: Caller,
    input: { name: string; role: Role; expiresAt?: Date | null },
  ): Promise<{ token: string; apiToken: ApiTokenMeta }> {
    return this.#track(async () => {
      const name = validateTokenName(input.name);
      const role = this.#validateRole(input.role);
      const expiresAt = this.#validateExpiry(input.expiresAt);
      await this.#require(caller, "manageTokens", "CREATE_API_TOKEN");
      const token = generateApiToken();
      const row = {
        id: newId(),
        tenant_id: caller.tenantId,
        name,
        role,
        token_hash: hashApiToken(token),
        created: this.#now(),
        created_by: caller.tokenName,
        expires_at: expiresAt?.toISOString() ?? null,
        revoked_at: null,
      };
      await this.#write(async (db) => {
        await db.insertInto("api_tokens").values(row).execute();
        await this.#auditIn(db, caller, "CREATE_API_TOKEN", "SUCCESS", { target: row.id });
      });
      return { token, apiToken: toTokenMeta(row) };
    });
  }

  apiTokens(caller: Caller): Promise<ApiTokenMeta[]> {
    return this.#track(async () => {
      if (!isAllowed(caller, "manageTokens")) throw forbidden(caller, "manageTokens");
      const rows = await this.#db
        .selectFrom("api_tokens")
        .select(["id", "name", "role", "created", "expires_at", "revoked_at"])
        .where("tenant_id", "=", caller.tenantId)
        .orderBy("created")
        .orderBy("id")
        .execute();
      return rows.map(toTokenMeta);
    });
  }

  revokeApiToken(caller: Caller, id: string): Promise<void> {
    return this.#track(async () => {
      validateTokenId(id);
      await this.#require(caller, "manageTokens", "REVOKE_API_TOKEN", null, id);
      const outcome = await this.#write(async (db): Promise<Outcome<string>> => {
        const row = await db
          .selectFrom("api_tokens")
          .select(["token_hash", "revoked_at"])
          .where("tenant_id", "=", caller.tenantId)
          .where("id", "=", id)
          .executeTakeFirst();
        if (row === undefined) {
          await this.#auditIn(db, caller, "REVOKE_API_TOKEN", "NOT_FOUND", { target: id });
          return fail(
            new ServiceError(
              "NOT_FOUND",
              `The API token ${id} was not found in tenant "${caller.tenantName}"; apiTokens lists the tokens there are.`,
            ),
          );
        }
        // Revoking twice keeps the first revocation time.
        if (row.revoked_at === null) {
          await db
            .updateTable("api_tokens")
            .set({ revoked_at: this.#now() })
            .where("id", "=", id)
            .execute();
        }
        await this.#auditIn(db, caller, "REVOKE_API_TOKEN", "SUCCESS", { target: id });
        return ok(row.token_hash);
      });
      this.#tokens.delete(unwrap(outcome));
    });
  }

  // ---- audit ---------------------------------------------------------------------------------

  auditEvents(
    caller: Caller,
    query: { limit: number; offset: number; name?: string | null },
  ): Promise<AuditEventRecord[]> {
    return this.#track(async () => {
      if (!isAllowed(caller, "readAudit")) throw forbidden(caller, "readAudit");
      const { limit, offset } = query;
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw badInput("limit must be a whole number from 1 to 1000.");
      }
      if (!Number.isInteger(offset) || offset < 0) {
        throw badInput("offset must be a whole number, 0 or more.");
      }
      let q = this.#db
        .selectFrom("audit_events")
        .select(["id", "action", "secret_name", "version", "outcome", "actor", "at"])
        .where("tenant_id", "=", caller.tenantId);
      if (query.name != null) q = q.where("secret_name", "=", validateSecretName(query.name));
      const rows = await q
        .orderBy("at", "desc")
        .orderBy("id", "desc")
        .limit(limit)
        .offset(offset)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        action: r.action as AuditEventRecord["action"],
        secretName: r.secret_name,
        version: r.version,
        outcome: r.outcome as AuditEventRecord["outcome"],
        actor: r.actor,
        at: new Date(r.at),
      }));
    });
  }

  // ---- admin ---------------------------------------------------------------------------------

  createTenant(name: string): Promise<{ tenant: { id: string; name: string }; token: string }> {
    return this.#track(async () => {
      validateTenantName(name);
      const tenant = { id: newId(), name };
      const token = generateApiToken();
      const tokenId = newId();
      const outcome = await this.#write(async (db): Promise<Outcome<void>> => {
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
        const now = this.#now();
        await db
          .insertInto("tenants")
          .values({ ...tenant, created: now })
          .execute();
        await this.#insertOfflineToken(
          db,
          tenant.id,
          tokenId,
          "admin",
          "TENANT_ADMIN",
          token,
          null,
        );
        return ok(undefined);
      });
      unwrap(outcome);
      return { tenant, token };
    });
  }

  createTokenOffline(input: {
    tenantName: string;
    role: Role;
    name: string;
    expiresAt?: Date | null;
  }): Promise<{ id: string; token: string }> {
    return this.#track(async () => {
      const tenantName = validateTenantName(input.tenantName);
      const name = validateTokenName(input.name);
      const role = this.#validateRole(input.role);
      const expiresAt = this.#validateExpiry(input.expiresAt);
      const token = generateApiToken();
      const id = newId();
      const outcome = await this.#write(async (db): Promise<Outcome<void>> => {
        const tenant = await db
          .selectFrom("tenants")
          .select("id")
          .where("name", "=", tenantName)
          .executeTakeFirst();
        if (tenant === undefined) {
          return fail(
            new ServiceError(
              "NOT_FOUND",
              `There is no tenant named "${tenantName}". Create it with: hush-server tenant create ${tenantName}`,
            ),
          );
        }
        await this.#insertOfflineToken(db, tenant.id, id, name, role, token, expiresAt);
        return ok(undefined);
      });
      unwrap(outcome);
      return { id, token };
    });
  }

  listTenants(): Promise<TenantInfo[]> {
    return this.#track(async () => {
      const rows = await this.#db
        .selectFrom("tenants")
        .select(["id", "name", "created"])
        .orderBy("created")
        .orderBy("id")
        .execute();
      return rows.map((r) => ({ id: r.id, name: r.name, created: new Date(r.created) }));
    });
  }

  // ---- lifecycle -----------------------------------------------------------------------------

  ready(): Promise<void> {
    return this.#track(async () => {
      await sql`select 1`.execute(this.#db);
      // Writes may go through another connection (SQLite's writer thread): it must answer too.
      await this.#o.writer.ready();
    });
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      // Calls that started before close() finish first, then queued writes, then the database.
      while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
      await this.#o.writer.drain();
      await this.#o.destroy();
    })();
    return this.#closing;
  }

  // Tokens and keys stay out of logs and inspected objects.
  toJSON(): unknown {
    return { service: "hush", backend: this.backend };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `DomainService { backend: ${this.backend} }`;
  }

  // ---- helpers -------------------------------------------------------------------------------

  #now(): string {
    return this.#o.clock().toISOString();
  }

  #track<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#closing !== undefined) {
      return Promise.reject(
        new HushError("SERVICE_CLOSED", "The service is shutting down; retry on another replica."),
      );
    }
    const running = operation();
    this.#inFlight.add(running);
    const forget = () => this.#inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }

  #write<T>(job: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.#o.writer.run(job);
  }

  #audit(
    caller: Caller,
    action: AuditEntry["action"],
    outcome: AuditEntry["outcome"],
    about: { secretName?: string | null; version?: number | null; target?: string | null } = {},
  ): AuditEntry {
    return {
      tenantId: caller.tenantId,
      action,
      outcome,
      actor: caller.tokenName,
      actorTokenId: caller.tokenId,
      ...about,
    };
  }

  /** Writes an audit event inside the current write transaction. */
  #auditIn(
    db: Kysely<Database>,
    caller: Caller,
    action: AuditEntry["action"],
    outcome: AuditEntry["outcome"],
    about?: { secretName?: string | null; version?: number | null; target?: string | null },
  ): Promise<void> {
    return insertAuditEvents(db, this.#o.clock(), [this.#audit(caller, action, outcome, about)]);
  }

  /** Writes an audit event outside a write (for reads and refusals). */
  #auditAlone(
    caller: Caller,
    action: AuditEntry["action"],
    outcome: AuditEntry["outcome"],
    about?: { secretName?: string | null; version?: number | null; target?: string | null },
  ): Promise<void> {
    return this.#writeAudit([this.#audit(caller, action, outcome, about)]);
  }

  /** Writes audit events outside a write (reads, refusals); resolves once they are committed. */
  #writeAudit(entries: AuditEntry[]): Promise<void> {
    return this.#auditLog.write(entries);
  }

  /** Throws FORBIDDEN, after auditing the refusal, when the caller's role lacks a permission. */
  async #require(
    caller: Caller,
    permission: Permission,
    action: AuditEntry["action"],
    secretName: string | null = null,
    target: string | null = null,
  ): Promise<void> {
    if (isAllowed(caller, permission)) return;
    await this.#auditAlone(caller, action, "DENIED", { secretName, target });
    throw forbidden(caller, permission);
  }

  async #lockSecret(db: Kysely<Database>, tenantId: string, name: string) {
    const row = await db
      .selectFrom("secrets")
      .select(["current_version", "created", "deleted"])
      .where("tenant_id", "=", tenantId)
      .where("name", "=", name)
      // SQLite has one writer at a time; PostgreSQL replicas serialise on this row lock.
      .$if(this.backend === "postgres", (q) => q.forUpdate())
      .executeTakeFirst();
    return row === undefined ? undefined : { ...row, deleted: row.deleted === 1 };
  }

  /** Encrypts and stores a new current version; prunes values past the kept history. */
  async #writeValueVersion(
    db: Kysely<Database>,
    caller: Caller,
    name: string,
    row: { current_version: number; created: string; deleted: boolean },
    plaintext: Buffer,
    now: string,
  ): Promise<number> {
    const version = row.current_version + 1;
    const sealed = sealValue(
      this.#o.keyRing,
      { tenantId: caller.tenantId, name, version },
      plaintext,
    );
    await this.#appendVersion(db, caller, name, row, version, now, sealed);
    await db
      .updateTable("secret_versions")
      .set({ key_id: null, wrapped_key: null, iv: null, ciphertext: null, auth_tag: null })
      .where("tenant_id", "=", caller.tenantId)
      .where("name", "=", name)
      .where("ciphertext", "is not", null)
      .where("version", "<=", (eb) =>
        eb
          .selectFrom("secret_versions")
          .select("version")
          .where("tenant_id", "=", caller.tenantId)
          .where("name", "=", name)
          .where("ciphertext", "is not", null)
          .orderBy("version", "desc")
          .limit(1)
          .offset(this.#o.maxVersions),
      )
      .execute();
    return version;
  }

  /**
   * Stores `version` as the secret's current one: a value when `sealed` is given, else a
   * deletion marker (a tombstone without crypto columns).
   */
  async #appendVersion(
    db: Kysely<Database>,
    caller: Caller,
    name: string,
    row: { created: string; deleted: boolean },
    version: number,
    now: string,
    sealed: SealedValue | undefined,
  ): Promise<void> {
    const deleted = sealed === undefined ? 1 : 0;
    await db
      .insertInto("secret_versions")
      .values({
        tenant_id: caller.tenantId,
        name,
        version,
        created: now,
        created_by: caller.tokenName,
        deleted,
        ...(sealed && {
          key_id: sealed.keyId,
          wrapped_key: sealed.wrappedKey,
          iv: sealed.iv,
          ciphertext: sealed.ciphertext,
          auth_tag: sealed.authTag,
        }),
      })
      .execute();
    await db
      .updateTable("secrets")
      .set({
        current_version: version,
        updated: now,
        updated_by: caller.tokenName,
        deleted,
        // A name set again after a deletion (or for the first time) starts a new life.
        created: row.deleted && sealed !== undefined ? now : row.created,
      })
      .where("tenant_id", "=", caller.tenantId)
      .where("name", "=", name)
      .execute();
  }

  #open(caller: Caller, name: string, version: number, sealed: SealedValue): Buffer {
    return openValue(
      this.#o.keyRing,
      { tenantId: caller.tenantId, tenantName: caller.tenantName, name, version },
      sealed,
    );
  }

  async #insertOfflineToken(
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
        created: this.#now(),
        created_by: OFFLINE_ACTOR,
        expires_at: expiresAt?.toISOString() ?? null,
        revoked_at: null,
      })
      .execute();
    await insertAuditEvents(db, this.#o.clock(), [
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

  #validateRole(role: unknown): Role {
    if (!ROLES.includes(role as Role)) {
      throw badInput(`The role must be one of ${ROLES.join(", ")}.`);
    }
    return role as Role;
  }

  #validateExpiry(expiresAt: Date | null | undefined): Date | null {
    if (expiresAt == null) return null;
    if (!(expiresAt instanceof Date) || Number.isNaN(expiresAt.getTime())) {
      throw badInput("expiresAt must be a valid date, e.g. 2030-01-01T00:00:00Z.");
    }
    if (expiresAt.getTime() <= this.#o.clock().getTime()) {
      throw badInput("expiresAt is in the past; give a time in the future, or none.");
    }
    return expiresAt;
  }
}
