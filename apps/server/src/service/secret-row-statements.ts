// The statements of a new value that SQLite's write plans and PostgreSQL's one statement share
// (`qc`: the database, or a WITH's query creator), over placeholders of a compiled template.
import type { QueryCreator } from "kysely";
import type { Database } from "../storage/schema.js";
import { PRUNED_VALUE } from "./pruned-value.js";

/** The values of a new version's guard, as placeholders of a compiled template. */
type GuardValues = Record<
  "tenantId" | "environmentId" | "name" | "version" | "now" | "actor",
  never
>;

/**
 * The guard of a new value for a name not stored yet: creates the secret's row at `version`, or
 * changes nothing when another write created it first. For SQLite's plans and PostgreSQL's one
 * statement alike (`qc`: the database, or a WITH's query creator).
 */
export function createSecretRow(qc: QueryCreator<Database>, p: GuardValues) {
  return qc
    .insertInto("secrets")
    .values({
      tenant_id: p.tenantId,
      environment_id: p.environmentId,
      name: p.name,
      current_version: p.version,
      created: p.now,
      updated: p.now,
      updated_by: p.actor,
      deleted: 0,
    })
    .onConflict((oc) => oc.columns(["tenant_id", "environment_id", "name"]).doNothing());
}

/**
 * The guard of a new value for a stored name: advances the secret's row from `expected`, the
 * version read before the write, to `version`; changes nothing when another write got there
 * first. As {@link createSecretRow}.
 */
export function advanceSecretRow(
  qc: QueryCreator<Database>,
  p: GuardValues & Record<"expected", never>,
) {
  return qc
    .updateTable("secrets")
    .set((eb) => ({
      current_version: p.version,
      updated: p.now,
      updated_by: p.actor,
      deleted: 0,
      // A name set again after a deletion starts a new life.
      created: eb.case().when("deleted", "=", 1).then(p.now).else(eb.ref("created")).end(),
    }))
    .where("tenant_id", "=", p.tenantId)
    .where("environment_id", "=", p.environmentId)
    .where("name", "=", p.name)
    .where("current_version", "=", p.expected);
}

/**
 * Drops the values (not the metadata) of a secret's versions older than the newest `keep` that
 * still hold one.
 */
export function pruneValueRows(
  qc: QueryCreator<Database>,
  p: Record<"tenantId" | "environmentId" | "name", never>,
  keep: number,
) {
  return qc
    .updateTable("secret_versions")
    .set(PRUNED_VALUE)
    .where("tenant_id", "=", p.tenantId)
    .where("environment_id", "=", p.environmentId)
    .where("name", "=", p.name)
    .where("ciphertext", "is not", null)
    .where("version", "<=", (eb) =>
      eb
        .selectFrom("secret_versions")
        .select("version")
        .where("tenant_id", "=", p.tenantId)
        .where("environment_id", "=", p.environmentId)
        .where("name", "=", p.name)
        .where("ciphertext", "is not", null)
        .orderBy("version", "desc")
        .limit(1)
        .offset(keep),
    );
}
