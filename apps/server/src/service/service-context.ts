import type { Kysely } from "kysely";
import type { KeyRing } from "../crypto/key-ring.js";
import type { QueryRunner } from "../storage/prepared-query.js";
import type { Database, DialectName } from "../storage/schema.js";
import type { Writer } from "../storage/writer.js";

/** What every part of the service works with: one database, its writer, the keys and limits. */
export interface ServiceContext {
  readonly db: Kysely<Database>;
  /** Runs the hot read queries on `db`'s connection. */
  readonly read: QueryRunner;
  readonly backend: DialectName;
  /** Serialises writes; each job runs in one transaction. */
  readonly writer: Writer;
  readonly keyRing: KeyRing;
  readonly maxValueBytes: number;
  /** How many bytes of values (as stored) one request may read. */
  readonly maxRequestValueBytes: number;
  /** How many values per secret are kept for rollback. */
  readonly maxVersions: number;
  /** How many versions' metadata per secret are kept; older version rows are deleted. */
  readonly maxVersionRecords: number;
  readonly clock: () => Date;
}

/** The context's current time as stored in the database. */
export function nowIso(context: ServiceContext): string {
  return context.clock().toISOString();
}
