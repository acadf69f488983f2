import type { Kysely } from "kysely";
import { rewrapDataKey } from "../crypto/envelope.js";
import type { KeyRing } from "../crypto/key-ring.js";
import type { Database } from "../storage/schema.js";
import type { Writer } from "../storage/writer.js";
import { signingSecretAddress } from "./changes/webhooks.js";

/**
 * How many stored values each master key wraps (rows without a value are not counted), webhook
 * signing secrets included.
 */
export async function keyUsage(db: Kysely<Database>): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("secret_versions")
    .select(["key_id", (eb) => eb.fn.countAll<number | string>().as("values")])
    .where("key_id", "is not", null)
    .groupBy("key_id")
    .execute();
  const usage = new Map(rows.map((r) => [r.key_id as string, Number(r.values)]));
  const signing = await db
    .selectFrom("webhooks")
    .select(["key_id", (eb) => eb.fn.countAll<number | string>().as("values")])
    .groupBy("key_id")
    .execute();
  for (const r of signing) usage.set(r.key_id, (usage.get(r.key_id) ?? 0) + Number(r.values));
  return usage;
}

/** How many stored values are wrapped by a key other than the ring's current one. */
export async function staleCount(db: Kysely<Database>, ring: KeyRing): Promise<number> {
  const row = await db
    .selectFrom("secret_versions")
    .select((eb) => eb.fn.countAll<number | string>().as("values"))
    .where("key_id", "is not", null)
    .where("key_id", "!=", ring.current.id)
    .executeTakeFirstOrThrow();
  const signing = await db
    .selectFrom("webhooks")
    .select((eb) => eb.fn.countAll<number | string>().as("values"))
    .where("key_id", "!=", ring.current.id)
    .executeTakeFirstOrThrow();
  return Number(row.values) + Number(signing.values);
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
    if (done.seen === 0) return total + (await rewrapSigningSecrets(writer, ring));
    options.onBatch?.(total);
  }
}

/** Re-wraps the webhooks' signing secrets (at most 20 per tenant) in one transaction. */
async function rewrapSigningSecrets(writer: Writer, ring: KeyRing): Promise<number> {
  return writer.run(async (trx) => {
    const rows = await trx
      .selectFrom("webhooks")
      .select(["id", "tenant_id", "key_id", "wrapped_key"])
      .where("key_id", "!=", ring.current.id)
      .execute();
    for (const row of rows) {
      const rewrapped = rewrapDataKey(ring, signingSecretAddress(row.tenant_id, row.id), {
        keyId: row.key_id,
        wrappedKey: Buffer.from(row.wrapped_key),
      });
      await trx
        .updateTable("webhooks")
        .set({ key_id: rewrapped.keyId, wrapped_key: rewrapped.wrappedKey })
        .where("id", "=", row.id)
        .execute();
    }
    return rows.length;
  });
}
