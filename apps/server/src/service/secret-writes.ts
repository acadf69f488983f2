import { isStartupVariable, RequestLimit, STARTUP_VARIABLE_REASON } from "@hush/schema";
import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.js";
import type { AuditLog } from "./audit/audit-log.js";
import type { ChangeEntry, ChangeLog } from "./changes/change-log.js";
import type { EnvCaller, SecretWritten, SetSecretsOptions } from "./contract.js";
import { ServiceError } from "./errors.js";
import { MAX_SECRETS_PER_CALL } from "./limits.js";
import { secretNotFound, secretsNotFound, versionNotFound } from "./not-found.js";
import { fail, type Outcome, ok, unwrap } from "./outcome.js";
import { forbiddenExtensions, isAllowed } from "./roles.js";
import {
  type LockedSecret,
  type PlanAudit,
  type SecretVersions,
  sealedOf,
} from "./secret-versions.js";
import { nowIso, type ServiceContext } from "./service-context.js";
import { badInput, serializeValue, validateSecretName } from "./validation.js";

// Plans made from a fresh read each time, before a set waits for the row's lock instead.
const PLAN_ATTEMPTS = 3;

/**
 * Setting, deleting and rolling back secrets: each write, its audit event and its change event
 * (see `ChangeLog`) commit together.
 */
export class SecretWrites {
  readonly #context: ServiceContext;
  readonly #audit: AuditLog;
  readonly #versions: SecretVersions;
  readonly #changes: ChangeLog;

  constructor(
    context: ServiceContext,
    audit: AuditLog,
    versions: SecretVersions,
    changes: ChangeLog,
  ) {
    this.#context = context;
    this.#audit = audit;
    this.#versions = versions;
    this.#changes = changes;
  }

  async setSecret(caller: EnvCaller, name: string, value: unknown): Promise<{ version: number }> {
    validateSecretName(name);
    await this.#audit.require(caller, "writeSecrets", "SET_SECRET", { secretName: name });
    await this.#requireMayName(caller, "SET_SECRET", [name]);
    const plaintext = serializeValue(value, this.#context.maxValueBytes);
    const key = secretKey(caller, name);
    const planned = await this.#setByPlan(caller, name, plaintext, key);
    if (planned !== undefined) return { version: planned };
    // Keyed: concurrent sets of different secrets run interleaved in one group commit.
    const version = await this.#context.writer.run(async (db) => {
      const written = await this.#setIn(db, caller, name, plaintext);
      await this.#changes.recordIn(db, caller, [setChange(caller, name, written)]);
      return written;
    }, key);
    this.#changes.committed(caller.tenantId);
    return { version };
  }

  /**
   * Sets `name` by a write plan made from the row as last committed (see `WritePlan`): no
   * round trip inside the transaction, so concurrent sets commit together in one message and
   * one fsync. The same rows, audit event and version as `#setIn`. Undefined when the writer
   * runs no plans, or other writes of the same secret kept winning: then `#setIn` waits its turn.
   */
  async #setByPlan(
    caller: EnvCaller,
    name: string,
    plaintext: Buffer,
    key: string,
  ): Promise<number | undefined> {
    const writer = this.#context.writer;
    if (writer.runPlan === undefined) return undefined;
    const about = (version: number) => ({ secretName: name, version });
    const audit: PlanAudit = {
      rows: (version) => this.#audit.rowsIn(caller, "SET_SECRET", "SUCCESS", about(version)),
      statements: (version) =>
        this.#audit.compileIn(caller, "SET_SECRET", "SUCCESS", about(version)),
    };
    for (let attempt = 0; attempt < PLAN_ATTEMPTS; attempt++) {
      const row = await this.#versions.current(caller, name);
      const now = nowIso(this.#context);
      const value = this.#versions.planValue(caller, name, row, plaintext, now, audit);
      const change = this.#changes.planned(caller, setChange(caller, name, value.version));
      const plan = { guard: value.guard, writes: [...value.writes, ...change] };
      if (await writer.runPlan(plan, key)) {
        this.#changes.committed(caller.tenantId);
        return value.version;
      }
    }
    return undefined;
  }

  async setSecrets(
    caller: EnvCaller,
    entries: ReadonlyArray<{ name: string; value: unknown }>,
    options: SetSecretsOptions = {},
  ): Promise<SecretWritten[]> {
    if (!Array.isArray(entries) || entries.length === 0) {
      throw badInput("secrets must list at least one name and value.");
    }
    if (entries.length > MAX_SECRETS_PER_CALL) {
      throw badInput(
        `At most ${MAX_SECRETS_PER_CALL} secrets can be set in one call; split the list.`,
        {
          argument: "secrets",
          limit: RequestLimit.SECRETS_PER_CALL,
          max: MAX_SECRETS_PER_CALL,
          requested: entries.length,
        },
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
    await this.#requireMayName(
      caller,
      "SET_SECRET",
      entries.map(({ name }) => name),
    );
    // Every value is checked before anything is written: a bad one fails the whole call.
    const plaintexts = entries.map(({ value }) =>
      serializeValue(value, this.#context.maxValueBytes),
    );
    // Only for a caller who may read the values: to anyone else, "unchanged" would tell whether
    // a guessed value is the stored one.
    const skipUnchanged = options.skipUnchanged === true && isAllowed(caller, "readValues");
    const done = await this.#context.writer.run(async (db) => {
      const written: SecretWritten[] = [];
      for (const [index, { name }] of entries.entries()) {
        const plaintext = plaintexts[index]!;
        const kept = skipUnchanged ? await this.#unchangedIn(db, caller, name, plaintext) : 0;
        written.push(
          kept > 0
            ? { name, version: kept, unchanged: true }
            : { name, version: await this.#setIn(db, caller, name, plaintext), unchanged: false },
        );
      }
      const changed = written.filter((w) => !w.unchanged);
      await this.#changes.recordIn(
        db,
        caller,
        changed.map((w) => setChange(caller, w.name, w.version)),
      );
      return written;
    });
    this.#changes.committed(caller.tenantId);
    return done;
  }

  async deleteSecret(caller: EnvCaller, name: string): Promise<void> {
    validateSecretName(name);
    await this.#audit.require(caller, "writeSecrets", "DELETE_SECRET", { secretName: name });
    const outcome = await this.#context.writer.run(async (db): Promise<Outcome<void>> => {
      const row = await this.#versions.lock(db, caller, name);
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
      await this.#changes.recordIn(db, caller, [
        { environmentName: caller.environmentName, secretName: name, action: "DELETE", version },
      ]);
      return ok(undefined);
    });
    unwrap(outcome);
    this.#changes.committed(caller.tenantId);
  }

  async rollbackSecret(
    caller: EnvCaller,
    name: string,
    version: number,
  ): Promise<{ version: number }> {
    validateSecretName(name);
    if (!Number.isSafeInteger(version) || version < 1) {
      throw badInput("The version to roll back to must be a whole number from 1 upwards.");
    }
    await this.#audit.require(caller, "writeSecrets", "ROLLBACK_SECRET", { secretName: name });
    await this.#requireMayName(caller, "ROLLBACK_SECRET", [name]);
    const outcome = await this.#context.writer.run(async (db): Promise<Outcome<number>> => {
      const row = await this.#versions.lock(db, caller, name);
      if (row === undefined) {
        await this.#audit.recordIn(db, caller, "ROLLBACK_SECRET", "NOT_FOUND", {
          secretName: name,
        });
        return fail(secretNotFound(caller, name));
      }
      const target = await this.#versions.find(db, caller, name, version);
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
            `Version ${version} of the secret ${name} has no value to restore (it ${why}); roll back to a version whose value is still kept.`,
          ),
        );
      }
      const plaintext = this.#versions.open(caller, name, version, sealed);
      const written = await this.#append(db, caller, name, row, plaintext, "ROLLBACK_SECRET");
      await this.#changes.recordIn(db, caller, [
        {
          environmentName: caller.environmentName,
          secretName: name,
          action: "ROLLBACK",
          version: written,
        },
      ]);
      return ok(written);
    });
    const written = unwrap(outcome);
    this.#changes.committed(caller.tenantId);
    return { version: written };
  }

  /**
   * Copies the current values of `names` (every live secret of `from` when undefined) from one
   * environment to another in one transaction: each becomes a new version in `to`, sealed for
   * its new address; a name `to` already holds is skipped unless `overwrite`. Values are
   * decrypted and re-encrypted here and never returned, so a role that may write but not read
   * can promote. Audited in both: COPY_SECRETS in `from`, SET_SECRET per copy in `to`.
   */
  async copySecrets(
    from: EnvCaller,
    to: EnvCaller,
    names: readonly string[] | undefined,
    overwrite: boolean,
  ): Promise<{ copied: SecretWritten[]; skipped: string[] }> {
    if (names !== undefined) {
      if (names.length > MAX_SECRETS_PER_CALL) {
        throw badInput(`At most ${MAX_SECRETS_PER_CALL} secrets can be copied in one call.`, {
          argument: "names",
          limit: RequestLimit.SECRETS_PER_CALL,
          max: MAX_SECRETS_PER_CALL,
          requested: names.length,
        });
      }
      for (const name of names) validateSecretName(name);
    }
    if (from.environmentId === to.environmentId) {
      throw badInput("from and to name the same environment; copy between two environments.");
    }
    await this.#audit.require(to, "writeSecrets", "SET_SECRET", { secretNames: names ?? null });
    const listed =
      names === undefined
        ? await this.#context.db
            .selectFrom("secrets")
            .select("name")
            .where("tenant_id", "=", from.tenantId)
            .where("environment_id", "=", from.environmentId)
            .where("deleted", "=", 0)
            .orderBy("name")
            .execute()
            .then((rows) => rows.map((r) => r.name))
        : [...new Set(names)];
    await this.#requireMayName(to, "SET_SECRET", listed);
    const outcome = await this.#context.writer.run(
      async (db): Promise<Outcome<{ copied: SecretWritten[]; skipped: string[] }>> => {
        const copied: SecretWritten[] = [];
        const skipped: string[] = [];
        const missing: string[] = [];
        const plaintexts = new Map<string, Buffer>();
        for (const name of listed) {
          const row = await this.#versions.lock(db, from, name);
          const current =
            row === undefined || row.deleted
              ? undefined
              : await this.#versions.find(db, from, name, row.current_version);
          const sealed = current === undefined ? undefined : sealedOf(current);
          if (row === undefined || sealed === undefined) {
            missing.push(name);
            continue;
          }
          plaintexts.set(name, this.#versions.open(from, name, row.current_version, sealed));
        }
        if (missing.length > 0) return fail(secretsNotFound(from, missing));
        for (const name of listed) {
          const target = await this.#versions.lock(db, to, name);
          if (!overwrite && target !== undefined && !target.deleted) {
            skipped.push(name);
            continue;
          }
          const version = await this.#setIn(db, to, name, plaintexts.get(name)!);
          copied.push({ name, version, unchanged: false });
        }
        if (copied.length > 0) {
          await this.#audit.recordIn(db, from, "COPY_SECRETS", "SUCCESS", {
            secretNames: copied.map((c) => c.name),
            target: to.environmentName,
          });
          const copy: ChangeEntry = {
            environmentName: from.environmentName,
            secretName: null,
            action: "COPY",
            version: null,
          };
          await this.#changes.recordIn(db, to, [
            copy,
            ...copied.map((c) => setChange(to, c.name, c.version)),
          ]);
        }
        return ok({ copied, skipped });
      },
    );
    const done = unwrap(outcome);
    this.#changes.committed(to.tenantId);
    return done;
  }

  /**
   * The write rule on names: a secret named like a start-up variable (`NODE_OPTIONS`, `LD_PRELOAD`,
   * `PATH`…, see `isStartupVariable`) would run code in every program started with the secrets,
   * so only a TENANT_ADMIN may give one a value. Deleting one stays open to every writer. Throws
   * FORBIDDEN, after recording the refusal, naming the secret but never its value.
   */
  async #requireMayName(
    caller: EnvCaller,
    action: "SET_SECRET" | "ROLLBACK_SECRET",
    names: readonly string[],
  ): Promise<void> {
    if (isAllowed(caller, "writeStartupVariables")) return;
    const name = names.find(isStartupVariable);
    if (name === undefined) return;
    await this.#audit.record(caller, action, "DENIED", { secretName: name });
    throw new ServiceError(
      "FORBIDDEN",
      `Only a TENANT_ADMIN may set ${name}: ${STARTUP_VARIABLE_REASON} (hush run and hush export leave it out unless the caller names it). This token has the ${caller.role} role; ask a tenant admin to set it, or choose another name.`,
      { extensions: forbiddenExtensions(caller, "writeStartupVariables", name) },
    );
  }

  /**
   * The current version of `name` when its value is `plaintext` (compared decrypted, inside the
   * write transaction, after locking the row); 0 when it differs or there is none.
   */
  async #unchangedIn(
    db: Kysely<Database>,
    caller: EnvCaller,
    name: string,
    plaintext: Buffer,
  ): Promise<number> {
    const row = await this.#versions.lock(db, caller, name);
    if (row === undefined || row.deleted || row.current_version === 0) return 0;
    const current = await this.#versions.find(db, caller, name, row.current_version);
    const sealed = current === undefined ? undefined : sealedOf(current);
    if (sealed === undefined) return 0;
    const value = this.#versions.open(caller, name, row.current_version, sealed);
    return value.equals(plaintext) ? row.current_version : 0;
  }

  /** Writes a new value version of `name` inside the current write transaction, audited. */
  async #setIn(
    db: Kysely<Database>,
    caller: EnvCaller,
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
        environment_id: caller.environmentId,
        name,
        current_version: 0,
        created: now,
        updated: now,
        updated_by: caller.tokenName,
        deleted: 1,
      })
      .onConflict((oc) => oc.columns(["tenant_id", "environment_id", "name"]).doNothing())
      .execute();
    const row = (await this.#versions.lock(db, caller, name))!;
    return this.#append(db, caller, name, row, plaintext, "SET_SECRET");
  }

  /** Appends `plaintext` as the new version of the locked `row`, with its audit event. */
  async #append(
    db: Kysely<Database>,
    caller: EnvCaller,
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
function secretKey(caller: EnvCaller, name: string): string {
  return `${caller.environmentId}\u0000${name}`;
}

/** The change event of a new value version. */
function setChange(caller: EnvCaller, name: string, version: number): ChangeEntry {
  return { environmentName: caller.environmentName, secretName: name, action: "SET", version };
}
