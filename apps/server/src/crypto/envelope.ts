import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { DecryptionError, MasterKeyError } from "./errors.js";
import { KEY_BYTES, type KeyRing } from "./key-ring.js";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where a value is stored: bound into both layers of encryption as additional data. */
export interface ValueAddress {
  readonly tenantId: string;
  readonly name: string;
  readonly version: number;
}

/** The stored form of one encrypted value, one field per column. */
export interface SealedValue {
  keyId: string;
  /** The data key wrapped by the master key: IV ‖ ciphertext ‖ tag. */
  wrappedKey: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  authTag: Buffer;
}

// A JSON array is an unambiguous encoding: no choice of name can make two addresses collide.
function aad(layer: "value" | "data-key", address: ValueAddress): Buffer {
  return Buffer.from(
    JSON.stringify([`hush/${layer}/v1`, address.tenantId, address.name, address.version]),
  );
}

function seal(key: Buffer, plaintext: Buffer, additional: Buffer) {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additional);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, authTag: cipher.getAuthTag() };
}

function open(key: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer, additional: Buffer) {
  const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(additional);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/**
 * Encrypts a value for one row: a fresh random data key encrypts the value (AES-256-GCM), and the
 * current master key wraps the data key (AES-256-GCM). Rotation re-wraps data keys only.
 */
export function sealValue(ring: KeyRing, address: ValueAddress, plaintext: Buffer): SealedValue {
  const dataKey = randomBytes(KEY_BYTES);
  try {
    const value = seal(dataKey, plaintext, aad("value", address));
    const wrapped = seal(ring.current.key, dataKey, aad("data-key", address));
    return {
      keyId: ring.current.id,
      wrappedKey: Buffer.concat([wrapped.iv, wrapped.ciphertext, wrapped.authTag]),
      ...value,
    };
  } finally {
    dataKey.fill(0);
  }
}

/** Decrypts a value sealed by {@link sealValue} for the same address. */
export function openValue(
  ring: KeyRing,
  address: ValueAddress & { tenantName?: string },
  sealed: SealedValue,
): Buffer {
  const masterKey = ring.get(sealed.keyId);
  if (masterKey === undefined) {
    throw new MasterKeyError(
      `Version ${address.version} of the secret ${address.name} was encrypted with master key ` +
        `${sealed.keyId}, which this server does not have (it has ${ring.ids.join(", ")}). ` +
        "Start the server with the master key the data was written with.",
    );
  }
  try {
    const w = sealed.wrappedKey;
    if (w.length !== IV_BYTES + KEY_BYTES + TAG_BYTES) throw new Error("bad wrapped key length");
    const keyAad = aad("data-key", address);
    // The cache entry names the wrapped key exactly: its master key, its bytes and its row.
    const id = `${masterKey.id}\0${w.toString("base64")}\0${keyAad.toString("latin1")}`;
    const dataKey = ring.dataKeys.get(id, () =>
      open(
        masterKey.key,
        w.subarray(0, IV_BYTES),
        w.subarray(IV_BYTES, IV_BYTES + KEY_BYTES),
        w.subarray(IV_BYTES + KEY_BYTES),
        keyAad,
      ),
    );
    return open(dataKey, sealed.iv, sealed.ciphertext, sealed.authTag, aad("value", address));
  } catch (cause) {
    const tenant = address.tenantName ?? address.tenantId;
    throw new DecryptionError(
      `Cannot decrypt version ${address.version} of the secret ${address.name} in tenant ` +
        `"${tenant}" (${address.tenantId}): the stored ciphertext does not belong to this row: ` +
        "it was moved or tampered with. Restore the row from a backup or set the secret again.",
      { cause },
    );
  }
}
