import { type Kysely, sql } from "kysely";
import { openValue, type SealedValue, sealValue } from "../crypto/envelope.js";
import type { Database, SecretVersionsTable } from "../storage/schema.js";
import type { Caller, SecretVersionMeta } from "./contract.js";
import { secretNotFound } from "./not-found.js";
import type { ServiceContext } from "./service-context.js";
import { validateSecretName } from "./validation.js";

/** The crypto columns of a version row; all null once its value is pruned or for a deletion. */
export type SealedColumns = Pick<
  SecretVersionsTable,
  "key_id" | "wrapped_key" | "iv" | "ciphertext" | "auth_tag"
>;

/** The secret's row, locked for the current write transaction. */
export interface LockedSecret {
  current_version: number;
  created: string;
  deleted: boolean;
}

/** The sealed value of a version row, or undefined when it holds none. */
export function sealedOf(row: SealedColumns): SealedValue | undefined {
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

/** The version history of secrets: appending values and deletion markers, pruning, listing. */
export class SecretVersions {
  readonly #context: ServiceContext;

  constructor(context: ServiceContext) {
    this.#context = context;
  }

  /** The secret's row, locked until the write transaction `db` belongs to ends. */
  async lock(
    db: Kysely<Database>,
    tenantId: string,
    name: string,
  ): Promise<LockedSecret | undefined> {
    const row = await db
      .selectFrom("secrets")
      .select(["current_version", "created", "deleted"])
      .where("tenant_id", "=", tenantId)
      .where("name", "=", name)
      // SQLite has one writer at a time; PostgreSQL replicas serialise on this row lock.
      .$if(this.#context.backend === "postgres", (q) => q.forUpdate())
      .executeTakeFirst();
    return row === undefined ? undefined : { ...row, deleted: row.deleted === 1 };
  }

  /** One stored version of a secret, inside the write transaction `db` belongs to. */
  find(db: Kysely<Database>, tenantId: string, name: string, version: number) {
    return db
      .selectFrom("secret_versions")
      .select(["deleted", "key_id", "wrapped_key", "iv", "ciphertext", "auth_tag"])
      .where("tenant_id", "=", tenantId)
      .where("name", "=", name)
      .where("version", "=", version)
      .executeTakeFirst();
  }

  /** Encrypts and stores a new current version; prunes values past the kept history. */
  async appendValue(
    db: Kysely<Database>,
    caller: Caller,
    name: string,
    row: LockedSecret,
    plaintext: Buffer,
    now: string,
  ): Promise<number> {
    const version = row.current_version + 1;
    const sealed = sealValue(
      this.#context.keyRing,
      { tenantId: caller.tenantId, name, version },
      plaintext,
    );
    await this.#append(db, caller, name, row, version, now, sealed);
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
          .offset(this.#context.maxVersions),
      )
      .execute();
    return version;
  }

  /** Stores a deletion marker (a version without a value) as the secret's current version. */
  async appendDeletion(
    db: Kysely<Database>,
    caller: Caller,
    name: string,
    row: LockedSecret,
    now: string,
  ): Promise<number> {
    const version = row.current_version + 1;
    await this.#append(db, caller, name, row, version, now, undefined);
    return version;
  }

  /** Decrypts a stored value of the caller's tenant. */
  open(caller: Caller, name: string, version: number, sealed: SealedValue): Buffer {
    return openValue(
      this.#context.keyRing,
      { tenantId: caller.tenantId, tenantName: caller.tenantName, name, version },
      sealed,
    );
  }

  /** Every version of a secret, newest first. */
  async list(caller: Caller, name: string): Promise<SecretVersionMeta[]> {
    validateSecretName(name);
    const rows = await this.#context.db
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
  }

  /**
   * Stores `version` as the secret's current one: a value when `sealed` is given, else a
   * deletion marker (a tombstone without crypto columns).
   */
  async #append(
    db: Kysely<Database>,
    caller: Caller,
    name: string,
    row: LockedSecret,
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
}
