import { MasterKeyError } from "../../crypto/errors.js";
import type { KeyRing } from "../../crypto/key-ring.js";
import { addKeyToFile, loadKeyRing, removeKeysFromFile } from "../../crypto/load-key-ring.js";
import { keyUsage, rewrapDataKeys, staleCount } from "../../service/key-rotation.js";
import { notifyChange } from "../../storage/change-notifications.js";
import { type OpenDatabase, openDatabase } from "../../storage/open-database.js";
import { openWriter } from "../../storage/open-writer.js";
import { usageError } from "../cli-error.js";
import { requireInitialised, type StorageFlags, storageSettings } from "../common-options.js";
import type { CliIo } from "../io.js";

export const DEFAULT_BATCH_SIZE = 500;

function batchSizeOf(text: string | undefined): number {
  if (text === undefined) return DEFAULT_BATCH_SIZE;
  const size = Number(text);
  if (!/^\d+$/.test(text) || size < 1 || size > 100_000) {
    throw usageError("--batch-size must be a whole number from 1 to 100000.", "rotate-key");
  }
  return size;
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? "" : "s"}`;
}

/** What `hush-server rotate-key` takes. */
export interface RotateKeyOptions extends StorageFlags {
  /** Do not rotate: remove the older keys that no stored value uses any more. */
  retire?: boolean | undefined;
  /** Rows re-wrapped per transaction. */
  batchSize?: string | undefined;
}

/**
 * Adds a master key and re-wraps every stored data key under it, or finishes an interrupted
 * rotation; with `retire`, removes the older keys no stored value uses.
 */
export async function rotateKey(values: RotateKeyOptions, io: CliIo): Promise<number> {
  const batchSize = batchSizeOf(values.batchSize);
  const storage = storageSettings(values, io);
  requireInitialised(storage);
  const loaded = loadKeyRing({ dataDir: storage.dataDir, env: io.env });
  const ring = loaded.ring;
  if (ring === undefined) {
    throw new MasterKeyError(
      `There is no master key to rotate: no HUSH_MASTER_KEY, no HUSH_MASTER_KEYS and no ${loaded.path}. Run hush-server init first.`,
    );
  }
  const database = openDatabase(storage);
  try {
    if (values.retire) return await retire(database, ring, loaded.path, io);
    return await rotate(database, ring, loaded.path, batchSize, io);
  } finally {
    await database.destroy();
  }
}

async function rotate(
  database: OpenDatabase,
  ring: KeyRing,
  keyFile: string | undefined,
  batchSize: number,
  io: CliIo,
): Promise<number> {
  const stale = await staleCount(database.db, ring);
  if (stale > 0) {
    io.stdout.write(
      `${plural(stale, "stored value")} not wrapped by the current master key ${ring.current.id} yet: finishing that rotation.\n`,
    );
  } else if (keyFile === undefined) {
    io.stdout.write(
      `Every stored value is already wrapped by the current master key ${ring.current.id}, the first of HUSH_MASTER_KEYS (or HUSH_MASTER_KEY).\n` +
        "To rotate, make a key (openssl rand -base64 32), put it first in HUSH_MASTER_KEYS on every server, restart them one at a time, then run hush-server rotate-key again with that HUSH_MASTER_KEYS.\n",
    );
    return 0;
  } else {
    const id = addKeyToFile(keyFile);
    ring.reload();
    // Running servers read the key file again on this notice (PostgreSQL) or when they see it
    // change; until then they still write under the older key, and the loop below catches up.
    await notifyChange(database.db, database.dialect, "keys");
    io.stdout.write(`Added master key ${id} to ${keyFile} and made it current.\n`);
  }
  const writer = openWriter(database);
  try {
    const rewrapped = await rewrapDataKeys({
      writer,
      ring,
      batchSize,
      onBatch: (total) => io.stdout.write(`Re-wrapped ${plural(total, "data key")}…\n`),
    });
    const older = ring.ids.filter((id) => id !== ring.current.id);
    io.stdout.write(
      `Done: re-wrapped ${plural(rewrapped, "data key")}; every stored value is wrapped by master key ${ring.current.id}.\n` +
        (older.length === 0
          ? ""
          : `The older ${older.length === 1 ? "key" : "keys"} ${older.join(", ")} can be retired once every server uses the new key: hush-server rotate-key --retire\n`),
    );
    return 0;
  } finally {
    await writer.drain();
  }
}

async function retire(
  database: OpenDatabase,
  ring: KeyRing,
  keyFile: string | undefined,
  io: CliIo,
): Promise<number> {
  const usage = await keyUsage(database.db);
  const older = ring.ids.filter((id) => id !== ring.current.id);
  const unused = older.filter((id) => !usage.has(id));
  const used = older.filter((id) => usage.has(id));
  for (const id of used) {
    io.stdout.write(
      `Kept master key ${id}: ${plural(usage.get(id)!, "stored value")} still use it. Re-wrap them first with: hush-server rotate-key\n`,
    );
  }
  if (unused.length === 0) {
    if (used.length === 0) io.stdout.write("There is no older master key to retire.\n");
    return 0;
  }
  if (keyFile === undefined) {
    io.stdout.write(
      `No stored value uses master ${unused.length === 1 ? "key" : "keys"} ${unused.join(", ")}: remove ${unused.length === 1 ? "it" : "them"} from HUSH_MASTER_KEYS on every server.\n`,
    );
    return 0;
  }
  removeKeysFromFile(keyFile, unused);
  await notifyChange(database.db, database.dialect, "keys");
  io.stdout.write(
    `Retired master ${unused.length === 1 ? "key" : "keys"} ${unused.join(", ")} from ${keyFile}: no stored value used ${unused.length === 1 ? "it" : "them"}.\n`,
  );
  return 0;
}
