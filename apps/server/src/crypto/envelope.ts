import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { DecryptionError, MasterKeyError } from "./errors.js";
import { KEY_BYTES, type KeyRing } from "./key-ring.js";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where a value is stored: bound into both layers of encryption as additional data. */
export interface ValueAddress {
  readonly tenantId: string;
  /**
   * The environment's id. A tenant's first environment has the tenant's id and is left out of
   * the additional data, so values written before environments existed open unchanged; every
   * other environment is bound in.
   */
  readonly environmentId?: string | undefined;
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
// The two forms differ in length, so they cannot collide either.
function aadText(layer: "value" | "data-key", address: ValueAddress): string {
  const { tenantId, environmentId, name, version } = address;
  return environmentId === undefined || environmentId === tenantId
    ? JSON.stringify([`hush/${layer}/v1`, tenantId, name, version])
    : JSON.stringify([`hush/${layer}/v1`, tenantId, environmentId, name, version]);
}

function aad(layer: "value" | "data-key", address: ValueAddress): Buffer {
  return Buffer.from(aadText(layer, address));
}

function seal(
  key: Buffer,
  plaintext: Buffer,
  additional: Buffer,
  iv: Buffer = randomBytes(IV_BYTES),
) {
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

function unknownKey(ring: KeyRing, address: ValueAddress, keyId: string): MasterKeyError {
  return new MasterKeyError(
    `Version ${address.version} of the secret ${address.name} was encrypted with master key ` +
      `${keyId}, which this server does not have (it has ${ring.ids.join(", ")}). ` +
      "Start the server with the master key the data was written with.",
  );
}

function tampered(address: ValueAddress & { tenantName?: string }, cause: unknown) {
  const tenant = address.tenantName ?? address.tenantId;
  return new DecryptionError(
    `Cannot decrypt version ${address.version} of the secret ${address.name} in tenant ` +
      `"${tenant}" (${address.tenantId}): the stored ciphertext does not belong to this row: ` +
      "it was moved or tampered with. Restore the row from a backup or set the secret again.",
    { cause },
  );
}

// The caller zeroes the returned data key once it is done with it, or hands it to the ring's cache,
// which zeroes it when it drops it.
function unwrapDataKey(masterKey: Buffer, address: ValueAddress, wrapped: Buffer): Buffer {
  if (wrapped.length !== IV_BYTES + KEY_BYTES + TAG_BYTES)
    throw new Error("bad wrapped key length");
  return open(
    masterKey,
    wrapped.subarray(0, IV_BYTES),
    wrapped.subarray(IV_BYTES, IV_BYTES + KEY_BYTES),
    wrapped.subarray(IV_BYTES + KEY_BYTES),
    aad("data-key", address),
  );
}

function wrapDataKey(ring: KeyRing, address: ValueAddress, dataKey: Buffer, iv?: Buffer) {
  const wrapped = seal(ring.current.key, dataKey, aad("data-key", address), iv);
  return {
    keyId: ring.current.id,
    wrappedKey: Buffer.concat([wrapped.iv, wrapped.ciphertext, wrapped.authTag]),
  };
}

/**
 * Encrypts a value for one row: a fresh random data key encrypts the value (AES-256-GCM), and the
 * current master key wraps the data key (AES-256-GCM). Rotation re-wraps data keys only.
 */
export function sealValue(ring: KeyRing, address: ValueAddress, plaintext: Buffer): SealedValue {
  // One draw for the data key and both IVs: each call costs about 2 µs, whatever its size.
  const random = randomBytes(KEY_BYTES + 2 * IV_BYTES);
  const dataKey = random.subarray(0, KEY_BYTES);
  try {
    const value = seal(
      dataKey,
      plaintext,
      aad("value", address),
      Buffer.from(random.subarray(KEY_BYTES, KEY_BYTES + IV_BYTES)),
    );
    const wrapIv = Buffer.from(random.subarray(KEY_BYTES + IV_BYTES));
    return { ...wrapDataKey(ring, address, dataKey, wrapIv), ...value };
  } finally {
    random.fill(0);
  }
}

/** Decrypts a value sealed by {@link sealValue} for the same address. */
export function openValue(
  ring: KeyRing,
  address: ValueAddress & { tenantName?: string },
  sealed: SealedValue,
): Buffer {
  const masterKey = ring.get(sealed.keyId);
  if (masterKey === undefined) throw unknownKey(ring, address, sealed.keyId);
  try {
    // The cache entry names the wrapped key exactly: its master key, its bytes and its row. A
    // cached key is not zeroed here: the cache zeroes it when it drops it.
    // The wrapped key's bytes as latin1 (one character each, cheaper than base64), after their
    // count, so that no other wrapped key and row make the same text.
    const wrapped = sealed.wrappedKey;
    const id = `${masterKey.id}\0${wrapped.length}:${wrapped.toString("latin1")}${aadText("data-key", address)}`;
    const dataKey = ring.dataKeys.get(id, () =>
      unwrapDataKey(masterKey.key, address, sealed.wrappedKey),
    );
    return open(dataKey, sealed.iv, sealed.ciphertext, sealed.authTag, aad("value", address));
  } catch (cause) {
    throw tampered(address, cause);
  }
}

/**
 * Re-wraps a row's data key under the ring's current master key, for a rotation: the value's
 * ciphertext stays as it is.
 */
export function rewrapDataKey(
  ring: KeyRing,
  address: ValueAddress & { tenantName?: string },
  sealed: Pick<SealedValue, "keyId" | "wrappedKey">,
): Pick<SealedValue, "keyId" | "wrappedKey"> {
  const masterKey = ring.get(sealed.keyId);
  if (masterKey === undefined) throw unknownKey(ring, address, sealed.keyId);
  let dataKey: Buffer | undefined;
  try {
    dataKey = unwrapDataKey(masterKey.key, address, sealed.wrappedKey);
  } catch (cause) {
    throw tampered(address, cause);
  }
  try {
    return wrapDataKey(ring, address, dataKey);
  } finally {
    dataKey.fill(0);
  }
}
