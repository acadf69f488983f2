import { prepareQuery } from "../storage/prepared-query.js";
import type { AuditLog } from "./audit-log.js";
import type { Caller } from "./contract.js";
import { MAX_SECRETS_PER_CALL } from "./limits.js";
import { secretNotFound, secretsNotFound } from "./not-found.js";
import { type SecretVersions, sealedOf } from "./secret-versions.js";
import type { ServiceContext } from "./service-context.js";
import { badInput, validateSecretName } from "./validation.js";

/** Each secret row joined with its current version's row. */
function currentVersions(db: ServiceContext["db"]) {
  return db
    .selectFrom("secrets as s")
    .innerJoin("secret_versions as v", (join) =>
      join
        .onRef("v.tenant_id", "=", "s.tenant_id")
        .onRef("v.name", "=", "s.name")
        .onRef("v.version", "=", "s.current_version"),
    );
}

// Names per query: SQLite caps the number of bound parameters in one statement.
const NAMES_PER_QUERY = 500;

/** Reading secret values: each read is answered once its audit event is committed. */
export class ValueReads {
  readonly #context: ServiceContext;
  readonly #audit: AuditLog;
  readonly #versions: SecretVersions;
  // The query of the most frequent call, compiled once.
  readonly #currentVersion;

  constructor(context: ServiceContext, audit: AuditLog, versions: SecretVersions) {
    this.#context = context;
    this.#audit = audit;
    this.#versions = versions;
    const db = context.db;
    this.#currentVersion = prepareQuery(context.read, ["tenantId", "name"], (p) =>
      currentVersions(db)
        .select(["v.version", "v.key_id", "v.wrapped_key", "v.iv", "v.ciphertext", "v.auth_tag"])
        .where("s.tenant_id", "=", p.tenantId)
        .where("s.name", "=", p.name)
        .where("s.deleted", "=", 0),
    );
  }

  async secretValue(caller: Caller, name: string): Promise<unknown> {
    validateSecretName(name);
    await this.#audit.require(caller, "readValues", "READ_SECRET_VALUE", { secretName: name });
    const [row] = await this.#currentVersion({ tenantId: caller.tenantId, name });
    const sealed = row === undefined ? undefined : sealedOf(row);
    if (row === undefined || sealed === undefined) {
      await this.#audit.record(caller, "READ_SECRET_VALUE", "NOT_FOUND", { secretName: name });
      throw secretNotFound(caller, name);
    }
    const value: unknown = JSON.parse(
      this.#versions.open(caller, name, row.version, sealed).toString("utf8"),
    );
    // The read is acknowledged only once its audit event is committed.
    await this.#audit.recordReads(caller, [{ secretName: name, version: row.version }]);
    return value;
  }

  /** The current values of `names`, or (`names` undefined) of every secret of the tenant. */
  async secretValues(
    caller: Caller,
    names: readonly string[] | undefined,
  ): Promise<Record<string, unknown>> {
    if (names !== undefined && !Array.isArray(names)) {
      throw badInput("names must be a list of secret names.");
    }
    if (names !== undefined && names.length > MAX_SECRETS_PER_CALL) {
      throw badInput(
        `At most ${MAX_SECRETS_PER_CALL} names can be read in one call; split the list.`,
      );
    }
    for (const name of names ?? []) validateSecretName(name);
    const requested = names === undefined ? undefined : [...new Set(names)];
    // A refused call is one event, whatever the number of names (see audit-policy.ts).
    await this.#audit.require(caller, "readValues", "READ_SECRET_VALUE", {
      secretNames: requested ?? null,
    });
    const rows = await this.#currentRows(caller, requested);
    if (requested === undefined && rows.length > MAX_SECRETS_PER_CALL) {
      throw badInput(
        `The tenant has more than ${MAX_SECRETS_PER_CALL} secrets, more than one call reads; ` +
          `name the ones you need (at most ${MAX_SECRETS_PER_CALL} per call).`,
      );
    }
    const unique =
      requested ?? rows.filter((row) => sealedOf(row) !== undefined).map((r) => r.name);
    const found = new Map(rows.map((row) => [row.name, row]));
    const missing = unique.filter((name) => {
      const row = found.get(name);
      return row === undefined || sealedOf(row) === undefined;
    });
    if (missing.length > 0) {
      await this.#audit.record(caller, "READ_SECRET_VALUE", "NOT_FOUND", { secretNames: missing });
      throw secretsNotFound(caller, missing);
    }
    const entries = unique.map((name) => {
      const row = found.get(name)!;
      const plain = this.#versions.open(caller, name, row.version, sealedOf(row)!);
      return [name, JSON.parse(plain.toString("utf8")) as unknown] as const;
    });
    // Reads of real secrets stay one event per name: who read which secret is always answered.
    await this.#audit.recordReads(
      caller,
      unique.map((name) => ({ secretName: name, version: found.get(name)!.version })),
    );
    // fromEntries defines own properties, so a secret named __proto__ is just a key.
    return Object.fromEntries(entries);
  }

  /** The current version rows of `names` (of every live secret when undefined). */
  async #currentRows(caller: Caller, names: readonly string[] | undefined) {
    const query = () =>
      currentVersions(this.#context.db)
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
        .where("s.deleted", "=", 0);
    if (names === undefined) {
      // One more than a call may read, to tell "too many" from "exactly the limit".
      return query()
        .orderBy("s.name")
        .limit(MAX_SECRETS_PER_CALL + 1)
        .execute();
    }
    const rows = [];
    for (let i = 0; i < names.length; i += NAMES_PER_QUERY) {
      rows.push(
        ...(await query()
          .where("s.name", "in", names.slice(i, i + NAMES_PER_QUERY))
          .execute()),
      );
    }
    return rows;
  }
}
