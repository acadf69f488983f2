import type { Kysely } from "kysely";
import { rewrapDataKey } from "../crypto/envelope.js";
import type { KeyRing } from "../crypto/key-ring.js";
import type { Database } from "../storage/schema.js";
import type { Writer } from "../storage/writer.js";

/** How many stored values each master key wraps (rows without a value are not counted). */
export async function keyUsage(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("secret_versions")
    .select(["key_id", (eb) => eb.fn.countAll<number | string>().as("values")])
    .where("key_id", "is not", null)
    .groupBy("key_id")
    .execute();
  return new Map(rows.map((r) => [r.key_id as string, Number(r.values)]));
}

/** How many stored values are wrapped by a key other than the ring's current one. */
export async function staleCount(db: Kysely<Database>, ring: KeyRing): Promise<number> {
  const row = await db
    .selectFrom("secret_versions")
    .select((eb) => eb.fn.countAll<number | string>().as("values"))
    .where("key_id", "is not", null)
    .where("key_id", "!=", ring.current.id)
    .executeTakeFirstOrThrow();
  return Number(row.values);
}

/**
 * Re-wraps every stored data key that the ring's current master key does not wrap yet, in
 * batches of `batchSize` rows, each batch in its own transaction: servers keep reading and
 * writing meanwhile, and an interrupted run leaves every row readable (under the old key or the
 * new one), so running it again finishes the job. Values themselves are not re-encrypted.
 * Returns how many data keys were re-wrapped.
 */
export async function rewrapDataKeys(options: {
  writer: Writer;
  ring: KeyRing;
  batchSize: number;
  /** Called after each committed batch with the running total. */
  onBatch?: (rewrapped: number) => void;
}): Promise<number> {
  const { writer, ring, batchSize } = options;
  let total = 0;
  for (;;) {
    const currentId = ring.current.id;
    const done = await writer.run(async (trx) => {
      const rows = await trx
        .selectFrom("secret_versions")
        .select(["tenant_id", "environment_id", "name", "version", "key_id", "wrapped_key"])
        .where("key_id", "is not", null)
        .where("key_id", "!=", currentId)
        .orderBy("tenant_id")
        .orderBy("environment_id")
        .orderBy("name")
        .orderBy("version")
        .limit(batchSize)
        .execute();
      let updated = 0;
      for (const row of rows) {
        if (row.key_id === null || row.wrapped_key === null) continue;
        const address = {
          tenantId: row.tenant_id,
          environmentId: row.environment_id,
          name: row.name,
          version: row.version,
        };
        const rewrapped = rewrapDataKey(ring, address, {
          keyId: row.key_id,
          wrappedKey: Buffer.from(row.wrapped_key),
        });
        // Only if the row still holds what was read: a server pruning old values meanwhile wins.
        const result = await trx
          .updateTable("secret_versions")
          .set({ key_id: rewrapped.keyId, wrapped_key: rewrapped.wrappedKey })
          .where("tenant_id", "=", row.tenant_id)
          .where("environment_id", "=", row.environment_id)
          .where("name", "=", row.name)
          .where("version", "=", row.version)
          .where("key_id", "=", row.key_id)
          .executeTakeFirst();
        updated += Number(result.numUpdatedRows);
      }
      return { seen: rows.length, updated };
    });
    total += done.updated;
    if (done.seen === 0) return total;
    options.onBatch?.(total);
  }
}
