import { GroupCommitWriter } from "./group-commit-writer.js";
import type { OpenDatabase } from "./open-database.js";
import { TransactionWriter } from "./transaction-writer.js";
import type { Writer } from "./writer.js";

/** The writer for a database: commits in groups on SQLite, a transaction per job on PostgreSQL. */
export function openWriter(database: OpenDatabase): Writer {
  return database.dialect === "sqlite"
    ? new GroupCommitWriter(database.writeDb, database.commitGroup)
    : new TransactionWriter(database.writeDb, database.commitGroup);
}
