import { type CompiledQuery, type Kysely, sql } from "kysely";
import { openValue, type SealedValue, sealValue } from "../crypto/envelope.js";
import { type ValueDigest, valueDigest } from "../crypto/value-digest.js";
import { prepareQuery } from "../storage/prepared-query.js";
import { queryTemplate } from "../storage/query-template.js";
import type { AuditEventsTable, Database, SecretVersionsTable } from "../storage/schema.js";
import type { WritePlan } from "../storage/write-plan.js";
import type { EnvCaller, SecretVersionMeta } from "./contract.js";
import { secretNotFound } from "./not-found.js";
import { PostgresValuePlan } from "./postgres-value-plan.js";
import { advanceSecretRow, createSecretRow, pruneValueRows } from "./secret-row-statements.js";
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

/** A new value version of a secret as a write plan (see `SecretVersions.planValue`). */
export interface ValuePlan extends WritePlan {
  /** The version it writes. */
  readonly version: number;
}

/** The audit event of a planned write of `version`, in the form the backend's plan takes. */
export interface PlanAudit {
  /** Its rows, for PostgreSQL's one statement. */
  rows(version: number): AuditEventsTable[];
  /** Its INSERT statements, for SQLite's list of statements. */
  statements(version: number): CompiledQuery[];
}

/** The version history of secrets: appending values and deletion markers, pruning, listing. */
export class SecretVersions {
  readonly #context: ServiceContext;
  readonly #current;
  readonly #createSecret;
  readonly #advanceSecret;
  readonly #insertValue;
  readonly #pruneValues;
  readonly #pruneVersions;
  readonly #postgres: PostgresValuePlan | undefined;

  constructor(context: ServiceContext) {
    this.#context = context;
    const db = context.db;
    this.#postgres =
      context.backend === "postgres" ? new PostgresValuePlan(db, context.maxVersions) : undefined;
    this.#current = prepareQuery(context.read, ["tenantId", "environmentId", "name"], (p) =>
      db
        .selectFrom("secrets")
        .select(["current_version", "created", "deleted"])
        .where("tenant_id", "=", p.tenantId)
        .where("environment_id", "=", p.environmentId)
        .where("name", "=", p.name),
    );
    // The statements of a new value, compiled once: building them costs more than running them.
    const written = ["tenantId", "environmentId", "name", "version", "now", "actor"] as const;
    this.#createSecret = queryTemplate(written, (p) => createSecretRow(db, p));
    this.#advanceSecret = queryTemplate([...written, "expected"], (p) => advanceSecretRow(db, p));
    this.#insertValue = queryTemplate(
      [...written, "keyId", "wrappedKey", "iv", "ciphertext", "authTag", "digest", "digestKeyId"],
      (p) =>
        db.insertInto("secret_versions").values({
          tenant_id: p.tenantId,
          environment_id: p.environmentId,
          name: p.name,
          version: p.version,
          created: p.now,
          created_by: p.actor,
          deleted: 0,
          key_id: p.keyId,
          wrapped_key: p.wrappedKey,
          iv: p.iv,
          ciphertext: p.ciphertext,
          auth_tag: p.authTag,
          digest: p.digest,
          digest_key_id: p.digestKeyId,
        }),
    );
    this.#pruneValues = queryTemplate(["tenantId", "environmentId", "name"], (p) =>
      pruneValueRows(db, p, context.maxVersions),
    );
    this.#pruneVersions = queryTemplate(["tenantId", "environmentId", "name", "oldestKept"], (p) =>
      db
        .deleteFrom("secret_versions")
        .where("tenant_id", "=", p.tenantId)
        .where("environment_id", "=", p.environmentId)
        .where("name", "=", p.name)
        .where("version", "<", p.oldestKept),
    );
  }

  /**
   * The secret's row as last committed, read outside any write transaction (on the read
   * connection): what a write plan is made from.
   */
  async current(at: EnvCaller, name: string): Promise<LockedSecret | undefined> {
    const [row] = await this.#current({
      tenantId: at.tenantId,
      environmentId: at.environmentId,
      name,
    });
    return row === undefined ? undefined : { ...row, deleted: row.deleted === 1 };
  }

  /**
   * `plaintext` as the next value version of `name` after `row` (as `current` read it; undefined
   * when there was none), sealed for that version, as a write plan: the same rows `appendValue`
   * writes, and its audit event, guarded by the secret's row still being at `row`'s version. On
   * PostgreSQL, one statement (see `PostgresValuePlan`); on SQLite, a list of them, sent to the
   * writer thread in one message anyway.
   */
  planValue(
    caller: EnvCaller,
    name: string,
    row: LockedSecret | undefined,
    plaintext: Buffer,
    now: string,
    audit: PlanAudit,
  ): ValuePlan {
    const expected = row?.current_version ?? 0;
    const version = expected + 1;
    const sealed = sealValue(this.#context.keyRing, addressOf(caller, name, version), plaintext);
    const digested = valueDigest(this.#context.keyRing, caller.tenantId, plaintext);
    const values = {
      tenantId: caller.tenantId,
      environmentId: caller.environmentId,
      name,
      version,
      now,
      actor: caller.tokenName,
    };
    const digest = { digest: digested.digest, digestKeyId: digested.keyId };
    if (this.#postgres !== undefined) {
      const [event, ...more] = audit.rows(version);
      if (event === undefined || more.length > 0) throw new Error("A write records one event.");
      const oldestKept = Math.max(1, version - this.#context.maxVersionRecords + 1);
      const { keyId, wrappedKey, iv, ciphertext, authTag } = sealed;
      // The change event is part of the one statement (see `PostgresValuePlan`).
      const change = { environmentName: caller.environmentName };
      const statement = this.#postgres.compile(
        row === undefined,
        {
          ...values,
          expected,
          oldestKept,
          keyId,
          wrappedKey,
          iv,
          ciphertext,
          authTag,
          ...digest,
          ...change,
        },
        event,
      );
      return { version, guard: statement, writes: [] };
    }
    return {
      version,
      // A row that appeared since the read, or moved on, changes nothing: the plan is lost.
      guard:
        row === undefined
          ? this.#createSecret(values)
          : this.#advanceSecret({ ...values, expected }),
      writes: [
        this.#insertValue({
          ...values,
          keyId: sealed.keyId,
          wrappedKey: sealed.wrappedKey,
          iv: sealed.iv,
          ciphertext: sealed.ciphertext,
          authTag: sealed.authTag,
          ...digest,
        }),
        ...this.#pruneStatements(caller, name, version),
        ...audit.statements(version),
      ],
    };
  }

  /** The secret's row, locked until the write transaction `db` belongs to ends. */
  async lock(db: Kysely<Database>, at: EnvCaller, name: string): Promise<LockedSecret | undefined> {
    const row = await db
      .selectFrom("secrets")
      .select(["current_version", "created", "deleted"])
      .where("tenant_id", "=", at.tenantId)
      .where("environment_id", "=", at.environmentId)
      .where("name", "=", name)
      // SQLite has one writer at a time; PostgreSQL replicas serialise on this row lock.
      .$if(this.#context.backend === "postgres", (q) => q.forUpdate())
      .executeTakeFirst();
    return row === undefined ? undefined : { ...row, deleted: row.deleted === 1 };
  }

  /** One stored version of a secret, inside the write transaction `db` belongs to. */
  find(db: Kysely<Database>, at: EnvCaller, name: string, version: number) {
    return db
      .selectFrom("secret_versions")
      .select(["deleted", "key_id", "wrapped_key", "iv", "ciphertext", "auth_tag"])
      .where("tenant_id", "=", at.tenantId)
      .where("environment_id", "=", at.environmentId)
      .where("name", "=", name)
      .where("version", "=", version)
      .executeTakeFirst();
  }

  /** Encrypts and stores a new current version; prunes values past the kept history. */
  async appendValue(
    db: Kysely<Database>,
    caller: EnvCaller,
    name: string,
    row: LockedSecret,
    plaintext: Buffer,
    now: string,
  ): Promise<number> {
    const version = row.current_version + 1;
    const sealed = sealValue(this.#context.keyRing, addressOf(caller, name, version), plaintext);
    const digest = valueDigest(this.#context.keyRing, caller.tenantId, plaintext);
    await this.#append(db, caller, name, row, version, now, sealed, digest);
    for (const statement of this.#pruneValuesStatements(caller, name, version)) {
      await db.executeQuery(statement);
    }
    return version;
  }

  /** Stores a deletion marker (a version without a value) as the secret's current version. */
  async appendDeletion(
    db: Kysely<Database>,
    caller: EnvCaller,
    name: string,
    row: LockedSecret,
    now: string,
  ): Promise<number> {
    const version = row.current_version + 1;
    await this.#append(db, caller, name, row, version, now, undefined);
    return version;
  }

  /** Decrypts a stored value of the caller's tenant. */
  open(caller: EnvCaller, name: string, version: number, sealed: SealedValue): Buffer {
    return openValue(
      this.#context.keyRing,
      { ...addressOf(caller, name, version), tenantName: caller.tenantName },
      sealed,
    );
  }

  /** Every version of a secret, newest first. */
  async list(caller: EnvCaller, name: string): Promise<SecretVersionMeta[]> {
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
      .where("environment_id", "=", caller.environmentId)
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

  /** Deletes the version rows past the kept history of metadata, oldest first. */
  async #pruneRecords(db: Kysely<Database>, caller: EnvCaller, name: string, version: number) {
    for (const statement of this.#pruneRecordsStatements(caller, name, version)) {
      await db.executeQuery(statement);
    }
  }

  /** The statements that prune values and records once `version` is written. */
  #pruneStatements(caller: EnvCaller, name: string, version: number): CompiledQuery[] {
    return [
      ...this.#pruneValuesStatements(caller, name, version),
      ...this.#pruneRecordsStatements(caller, name, version),
    ];
  }

  /**
   * The statement that keeps the newest `maxVersions` values once `version` is written; none
   * while there are no more versions than that (so no more values): it would change nothing.
   */
  #pruneValuesStatements(caller: EnvCaller, name: string, version: number): CompiledQuery[] {
    if (version <= this.#context.maxVersions) return [];
    return [
      this.#pruneValues({ tenantId: caller.tenantId, environmentId: caller.environmentId, name }),
    ];
  }

  /** The statement of `#pruneRecords` once `version` is written, if it has anything to do. */
  #pruneRecordsStatements(caller: EnvCaller, name: string, version: number): CompiledQuery[] {
    const oldestKept = version - this.#context.maxVersionRecords + 1;
    if (oldestKept <= 1) return [];
    return [
      this.#pruneVersions({
        tenantId: caller.tenantId,
        environmentId: caller.environmentId,
        name,
        oldestKept,
      }),
    ];
  }

  /**
   * Stores `version` as the secret's current one: a value when `sealed` is given, else a
   * deletion marker (a tombstone without crypto columns).
   */
  async #append(
    db: Kysely<Database>,
    caller: EnvCaller,
    name: string,
    row: LockedSecret,
    version: number,
    now: string,
    sealed: SealedValue | undefined,
    digest?: ValueDigest,
  ): Promise<void> {
    const deleted = sealed === undefined ? 1 : 0;
    await db
      .insertInto("secret_versions")
      .values({
        tenant_id: caller.tenantId,
        environment_id: caller.environmentId,
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
        ...(digest && { digest: digest.digest, digest_key_id: digest.keyId }),
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
      .where("environment_id", "=", caller.environmentId)
      .where("name", "=", name)
      .execute();
    await this.#pruneRecords(db, caller, name, version);
  }
}

/** Where a value of `caller`'s environment is stored: what its encryption binds. */
export function addressOf(caller: EnvCaller, name: string, version: number) {
  return { tenantId: caller.tenantId, environmentId: caller.environmentId, name, version };
}
