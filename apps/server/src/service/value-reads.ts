import { RequestLimit } from "@hush/schema";
import { sql } from "kysely";
import { nextTurn, Slices } from "../event-loop/slices.js";
import { prepareQuery } from "../storage/prepared-query.js";
import type { AuditLog } from "./audit/audit-log.js";
import type { Caller, EnvCaller } from "./contract.js";
import { MAX_SECRETS_PER_CALL, MAX_VALUES_PER_REQUEST } from "./limits.js";
import { secretNotFound, secretsNotFound } from "./not-found.js";
import { RawJson } from "./raw-json.js";
import { ReadBudget, tooManySecrets, tooManyValues } from "./read-budget.js";
import { isAllowed } from "./roles.js";
import { type SecretVersions, sealedOf } from "./secret-versions.js";
import type { ServiceContext } from "./service-context.js";
import { badInput, validateSecretName } from "./validation.js";

/** Each secret row joined with its current version's row (`s` and `v`). */
export function currentVersions(db: ServiceContext["db"]) {
  return db
    .selectFrom("secrets as s")
    .innerJoin("secret_versions as v", (join) =>
      join
        .onRef("v.tenant_id", "=", "s.tenant_id")
        .onRef("v.environment_id", "=", "s.environment_id")
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
    this.#currentVersion = prepareQuery(context.read, ["tenantId", "environmentId", "name"], (p) =>
      currentVersions(db)
        .select(["v.version", "v.key_id", "v.wrapped_key", "v.iv", "v.ciphertext", "v.auth_tag"])
        .where("s.tenant_id", "=", p.tenantId)
        .where("s.environment_id", "=", p.environmentId)
        .where("s.name", "=", p.name)
        .where("s.deleted", "=", 0),
    );
  }

  /** A budget for one request's reads, at the server's limits. */
  budget(): ReadBudget {
    return new ReadBudget(this.#context.maxRequestValueBytes);
  }

  /**
   * Weighs what one request's value-reading fields ask for before any of them runs (`reads`:
   * each field's names, undefined for every secret) and refuses the whole request past 1000
   * values or its bytes budget. The sizes are the stored ciphertexts' lengths (as long as the
   * values' JSON): nothing is decrypted. Returns the budget the fields then charge.
   */
  async admit(
    caller: Caller | undefined,
    reads: ReadonlyArray<readonly unknown[] | undefined>,
  ): Promise<ReadBudget> {
    const budget = this.budget();
    let named = 0;
    let everyName = false;
    for (const names of reads) {
      if (names === undefined) everyName = true;
      else named += names.length;
    }
    if (named > MAX_VALUES_PER_REQUEST) throw tooManyValues(named);
    // A caller that may not read values is refused by each field, with nothing to weigh.
    if (caller === undefined || !isAllowed(caller, "readValues")) return budget;
    // The common case costs no query: so few names that even the largest values fit.
    if (!everyName && budget.fits(named, this.#context.maxValueBytes)) return budget;
    const sizes = await this.#storedSizes(
      caller,
      everyName ? undefined : reads.flatMap((names) => names ?? []),
    );
    if (everyName && sizes.size > MAX_SECRETS_PER_CALL) throw tooManySecrets();
    let values = 0;
    let bytes = 0;
    for (const names of reads) {
      // A name that is not there (or not a name) costs nothing: its field answers NOT_FOUND.
      for (const name of names === undefined ? sizes.keys() : new Set(names)) {
        const size = typeof name === "string" ? sizes.get(name) : undefined;
        if (size === undefined) continue;
        values += 1;
        bytes += size;
      }
    }
    budget.check(Math.max(values, named), bytes);
    return budget;
  }

  async secretValue(caller: EnvCaller, name: string, budget = this.budget()): Promise<unknown> {
    validateSecretName(name);
    await this.#audit.require(caller, "readValues", "READ_SECRET_VALUE", { secretName: name });
    const [row] = await this.#currentVersion({
      tenantId: caller.tenantId,
      environmentId: caller.environmentId,
      name,
    });
    const sealed = row === undefined ? undefined : sealedOf(row);
    if (row === undefined || sealed === undefined) {
      await this.#audit.record(caller, "READ_SECRET_VALUE", "NOT_FOUND", { secretName: name });
      throw secretNotFound(caller, name);
    }
    budget.charge(1, sealed.ciphertext.length);
    const value: unknown = JSON.parse(
      this.#versions.open(caller, name, row.version, sealed).toString("utf8"),
    );
    // The read is acknowledged only once its audit event is committed.
    await this.#audit.recordReads(caller, [{ secretName: name, version: row.version }]);
    return value;
  }

  /** The current values of `names`, or (`names` undefined) of every secret of the tenant. */
  async secretValues(
    caller: EnvCaller,
    names: readonly string[] | undefined,
    budget = this.budget(),
  ): Promise<Record<string, unknown>> {
    const texts = await this.#openValues(caller, names, budget);
    // fromEntries defines own properties, so a secret named __proto__ is just a key.
    return Object.fromEntries(texts.map(([name, text]) => [name, JSON.parse(text)]));
  }

  /** As {@link secretValues}, each value as its stored JSON text: for answers that hold it as it is. */
  async secretValuesJson(
    caller: EnvCaller,
    names: readonly string[] | undefined,
    budget = this.budget(),
  ): Promise<Record<string, RawJson>> {
    const texts = await this.#openValues(caller, names, budget);
    return Object.fromEntries(texts.map(([name, text]) => [name, new RawJson(text)]));
  }

  /** The JSON texts of the values `secretValues` reads, each read audited. */
  async #openValues(
    caller: EnvCaller,
    names: readonly string[] | undefined,
    budget: ReadBudget,
  ): Promise<Array<[string, string]>> {
    if (names !== undefined && !Array.isArray(names)) {
      throw badInput("names must be a list of secret names.");
    }
    if (names !== undefined && names.length > MAX_SECRETS_PER_CALL) {
      throw badInput(
        `At most ${MAX_SECRETS_PER_CALL} names can be read in one call; split the list.`,
        {
          argument: "names",
          limit: RequestLimit.SECRETS_PER_CALL,
          max: MAX_SECRETS_PER_CALL,
          requested: names.length,
        },
      );
    }
    for (const name of names ?? []) validateSecretName(name);
    const requested = names === undefined ? undefined : [...new Set(names)];
    // A refused call is one event, whatever the number of names (see audit/policy.ts).
    await this.#audit.require(caller, "readValues", "READ_SECRET_VALUE", {
      secretNames: requested ?? null,
    });
    const rows = await this.#currentRows(caller, requested);
    if (requested === undefined && rows.length > MAX_SECRETS_PER_CALL) throw tooManySecrets();
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
    // Charged before anything is decrypted: a value written since the request was weighed
    // cannot take it past its budget.
    budget.charge(
      unique.length,
      unique.reduce((sum, name) => sum + (found.get(name)!.ciphertext?.length ?? 0), 0),
    );
    // Many values are opened a slice at a time, letting other requests in between.
    const entries: Array<[string, string]> = [];
    const slices = new Slices();
    for (const name of unique) {
      const row = found.get(name)!;
      const plain = this.#versions.open(caller, name, row.version, sealedOf(row)!);
      entries.push([name, plain.toString("utf8")]);
      if (slices.full(plain.length)) await nextTurn();
    }
    // Reads of real secrets stay one event per name: who read which secret is always answered.
    await this.#audit.recordReads(
      caller,
      unique.map((name) => ({ secretName: name, version: found.get(name)!.version })),
    );
    return entries;
  }

  /**
   * The stored size of each live value among `names` (of every live secret when undefined, at
   * most one more than a call reads), without reading the values.
   */
  async #storedSizes(
    caller: Caller,
    names: readonly unknown[] | undefined,
  ): Promise<Map<string, number>> {
    const query = () =>
      currentVersions(this.#context.db)
        .select(["s.name", sql<number>`length(v.ciphertext)`.as("bytes")])
        .where("s.tenant_id", "=", caller.tenantId)
        .where("s.deleted", "=", 0)
        .where("v.ciphertext", "is not", null);
    const rows = [];
    if (names === undefined) {
      rows.push(
        ...(await query()
          .orderBy("s.name")
          .limit(MAX_SECRETS_PER_CALL + 1)
          .execute()),
      );
    } else {
      const unique = [...new Set(names.filter((name) => typeof name === "string"))];
      for (let i = 0; i < unique.length; i += NAMES_PER_QUERY) {
        rows.push(
          ...(await query()
            .where("s.name", "in", unique.slice(i, i + NAMES_PER_QUERY))
            .execute()),
        );
      }
    }
    // Weighed before each field's environment is known: a name's largest value in any of the
    // tenant's environments stands for it, so the bound holds whichever one a field reads.
    const sizes = new Map<string, number>();
    for (const row of rows)
      sizes.set(row.name, Math.max(sizes.get(row.name) ?? 0, Number(row.bytes)));
    return sizes;
  }

  /** The current version rows of `names` (of every live secret when undefined). */
  async #currentRows(caller: EnvCaller, names: readonly string[] | undefined) {
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
        .where("s.environment_id", "=", caller.environmentId)
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
