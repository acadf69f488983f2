import { parseArgs } from "node:util";
import { migrateToLatest } from "../../storage/migrate.js";
import { openDatabase } from "../../storage/open-database.js";
import { STORAGE_HELP, storageOptions, storageSettings } from "../common-options.js";
import type { CliIo } from "../io.js";

export const MIGRATE_HELP = `Usage: hush-server migrate [options]

Brings the database schema up to date. \`start\` does this too; run it on its own to migrate
before rolling out new replicas. Safe to run more than once and from several places at once.

Options:
${STORAGE_HELP}
  -h, --help            Show this help
`;

export async function migrateCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: storageOptions, strict: true });
  if (values.help) {
    io.stdout.write(MIGRATE_HELP);
    return 0;
  }
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
