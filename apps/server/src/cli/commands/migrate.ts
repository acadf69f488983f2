import { migrateToLatest } from "../../storage/migrate.js";
import { openDatabase } from "../../storage/open-database.js";
import { type StorageFlags, storageSettings } from "../common-options.js";
import type { CliIo } from "../io.js";

/** Brings the database schema up to date. */
export async function migrate(values: StorageFlags, io: CliIo): Promise<number> {
  const storage = storageSettings(values, io);
  const database = openDatabase(storage);
  try {
    const applied = await migrateToLatest(database.db);
    io.stdout.write(
      applied.length === 0
        ? `The database at ${database.location} is up to date.\n`
        : `Migrated the database at ${database.location}: ${applied.join(", ")}.\n`,
    );
    return 0;
  } finally {
    await database.destroy();
  }
}
