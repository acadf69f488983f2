import { type Kysely, type Migration, Migrator } from "kysely";
import { StorageError } from "./errors.js";
import { initial } from "./migrations/0001-initial.js";
import { auditCoalescing } from "./migrations/0002-audit-coalescing.js";
import { tokenNames } from "./migrations/0003-token-names.js";
import { environments } from "./migrations/0004-environments.js";
import { identityTrusts } from "./migrations/0005-identity-trusts.js";
import { changeEvents } from "./migrations/0006-change-events.js";
import type { Database } from "./schema.js";

/** Every migration, in order: names sort in the order they must run. */
const migrations: Readonly<Record<string, Migration>> = {
  "0001-initial": initial,
  "0002-audit-coalescing": auditCoalescing,
  "0003-token-names": tokenNames,
  "0004-environments": environments,
  "0005-identity-trusts": identityTrusts,
  "0006-change-events": changeEvents,
};

/**
 * Brings the database to the latest schema; returns the names of the migrations it applied.
 * Safe to run from several replicas at once: Kysely takes a lock while migrating.
 */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    const which = failed === undefined ? "" : ` ${failed}`;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StorageError(`The database migration${which} failed: ${reason}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
