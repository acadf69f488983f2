import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.js";
import type { AuditLog } from "./audit-log.js";
import type { Caller } from "./contract.js";
import { MAX_SECRETS_PER_CALL } from "./limits.js";
import { secretNotFound, versionNotFound } from "./not-found.js";
import { fail, type Outcome, ok, unwrap } from "./outcome.js";
import { type LockedSecret, type SecretVersions, sealedOf } from "./secret-versions.js";
import { nowIso, type ServiceContext } from "./service-context.js";
import { badInput, serializeValue, validateSecretName } from "./validation.js";

/** Setting, deleting and rolling back secrets: each write and its audit event commit together. */
export class SecretWrites {
  readonly #context: ServiceContext;
  readonly #audit: AuditLog;
  readonly #versions: SecretVersions;

  constructor(context: ServiceContext, audit: AuditLog, versions: SecretVersions) {
    this.#context = context;
    this.#audit = audit;
    this.#versions = versions;
  }

  async setSecret(caller: Caller, name: string, value: unknown): Promise<{ version: number }> {
    validateSecretName(name);
    await this.#audit.require(caller, "writeSecrets", "SET_SECRET", { secretName: name });
    const plaintext = serializeValue(value, this.#context.maxValueBytes);
    // Keyed: concurrent sets of different secrets run interleaved in one group commit.
    const version = await this.#context.writer.run(
      (db) => this.#setIn(db, caller, name, plaintext),
      secretKey(caller.tenantId, name),
    );
    return { version };
  }

  async setSecrets(
    caller: Caller,
    entries: ReadonlyArray<{ name: string; value: unknown }>,
  ): Promise<Array<{ name: string; version: number }>> {
    if (!Array.isArray(entries) || entries.length === 0) {
      throw badInput("secrets must list at least one name and value.");
    }
    if (entries.length > MAX_SECRETS_PER_CALL) {
      throw badInput(
        `At most ${MAX_SECRETS_PER_CALL} secrets can be set in one call; split the list.`,
      );
    }
    const seen = new Set<string>();
    for (const { name } of entries) {
      validateSecretName(name);
      if (seen.has(name)) {
        throw badInput(`The secret ${name} is listed twice; give each name once.`);
      }
      seen.add(name);
    }
    await this.#audit.require(caller, "writeSecrets", "SET_SECRET", {
      secretNames: entries.map(({ name }) => name),
    });
    // Every value is checked before anything is written: a bad one fails the whole call.
    const plaintexts = entries.map(({ value }) =>
      serializeValue(value, this.#context.maxValueBytes),
    );
    return this.#context.writer.run(async (db) => {
      const written: Array<{ name: string; version: number }> = [];
      for (const [index, { name }] of entries.entries()) {
        written.push({ name, version: await this.#setIn(db, caller, name, plaintexts[index]!) });
      }
      return written;
    });
  }

  async deleteSecret(caller: Caller, name: string): Promise<void> {
    validateSecretName(name);
    await this.#audit.require(caller, "writeSecrets", "DELETE_SECRET", { secretName: name });
    const outcome = await this.#context.writer.run(async (db): Promise<Outcome<void>> => {
      const row = await this.#versions.lock(db, caller.tenantId, name);
      if (row === undefined || row.deleted) {
        await this.#audit.recordIn(db, caller, "DELETE_SECRET", "NOT_FOUND", { secretName: name });
        return fail(secretNotFound(caller, name));
      }
      const version = await this.#versions.appendDeletion(
        db,
        caller,
        name,
        row,
        nowIso(this.#context),
      );
      await this.#audit.recordIn(db, caller, "DELETE_SECRET", "SUCCESS", {
        secretName: name,
        version,
      });
      return ok(undefined);
    });
    unwrap(outcome);
  }

  async rollbackSecret(
    caller: Caller,
    name: string,
    version: number,
  ): Promise<{ version: number }> {
    validateSecretName(name);
    if (!Number.isSafeInteger(version) || version < 1) {
      throw badInput("The version to roll back to must be a whole number from 1 upwards.");
    }
    await this.#audit.require(caller, "writeSecrets", "ROLLBACK_SECRET", { secretName: name });
    const outcome = await this.#context.writer.run(async (db): Promise<Outcome<number>> => {
      const row = await this.#versions.lock(db, caller.tenantId, name);
      if (row === undefined) {
        await this.#audit.recordIn(db, caller, "ROLLBACK_SECRET", "NOT_FOUND", {
          secretName: name,
        });
        return fail(secretNotFound(caller, name));
      }
      const target = await this.#versions.find(db, caller.tenantId, name, version);
      if (target === undefined) {
        await this.#audit.recordIn(db, caller, "ROLLBACK_SECRET", "NOT_FOUND", {
          secretName: name,
          version,
        });
        return fail(versionNotFound(caller, name, version));
      }
      const sealed = sealedOf(target);
      if (sealed === undefined) {
        const why = target.deleted
          ? "marks a deletion"
          : `is older than the ${this.#context.maxVersions} values kept`;
        return fail(
          badInput(
            `Version ${version} of the secret ${name} has no value to restore (it ${why}); roll back to a version with hasValue: true.`,
          ),
        );
      }
      const plaintext = this.#versions.open(caller, name, version, sealed);
      return ok(await this.#append(db, caller, name, row, plaintext, "ROLLBACK_SECRET"));
    });
    return { version: unwrap(outcome) };
  }

  /** Writes a new value version of `name` inside the current write transaction, audited. */
  async #setIn(
    db: Kysely<Database>,
    caller: Caller,
    name: string,
    plaintext: Buffer,
  ): Promise<number> {
    const now = nowIso(this.#context);
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
    const row = (await this.#versions.lock(db, caller.tenantId, name))!;
    return this.#append(db, caller, name, row, plaintext, "SET_SECRET");
  }

  /** Appends `plaintext` as the new version of the locked `row`, with its audit event. */
  async #append(
    db: Kysely<Database>,
    caller: Caller,
    name: string,
    row: LockedSecret,
    plaintext: Buffer,
    action: "SET_SECRET" | "ROLLBACK_SECRET",
  ): Promise<number> {
    // Read the clock after the lock: versions and their times then increase together.
    const written = await this.#versions.appendValue(
      db,
      caller,
      name,
      row,
      plaintext,
      nowIso(this.#context),
    );
    await this.#audit.recordIn(db, caller, action, "SUCCESS", {
      secretName: name,
      version: written,
    });
    return written;
  }
}

/** The writer's key of one secret's rows (see `Writer.run`). */
function secretKey(tenantId: string, name: string): string {
  return `${tenantId}\u0000${name}`;
}
