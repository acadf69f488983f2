import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { openValue, sealValue } from "./envelope.js";
import { DecryptionError, MasterKeyError } from "./errors.js";
import { KeyRing, masterKeyId } from "./key-ring.js";

const ring = KeyRing.of(randomBytes(32));
const at = { tenantId: "t1", name: "DB_PASSWORD", version: 3 };
const plaintext = Buffer.from(JSON.stringify("CANARY-s3cret"));

describe("envelope encryption", () => {
  it("round-trips and never stores the plaintext or the data key in the clear", () => {
    const sealed = sealValue(ring, at, plaintext);
    expect(sealed.keyId).toBe(ring.current.id);
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.authTag).toHaveLength(16);
    expect(sealed.wrappedKey).toHaveLength(12 + 32 + 16);
    expect(Buffer.concat(Object.values(sealed).filter(Buffer.isBuffer)).includes("CANARY")).toBe(
      false,
    );
    expect(openValue(ring, at, sealed)).toEqual(plaintext);
  });

  it("caches unwrapped data keys in the ring, and a cached key still opens only its own row", () => {
    const own = KeyRing.of(randomBytes(32));
    const sealed = sealValue(own, at, plaintext);
    expect(own.dataKeys.size).toBe(0);
    expect(openValue(own, at, sealed)).toEqual(plaintext);
    expect(own.dataKeys.size).toBe(1);
    expect(openValue(own, at, sealed)).toEqual(plaintext);
    expect(own.dataKeys.size).toBe(1);
    expect(() => openValue(own, { ...at, version: 4 }, sealed)).toThrow(DecryptionError);
    const tampered = { ...sealed, wrappedKey: Buffer.from(sealed.wrappedKey) };
    tampered.wrappedKey[20] = (tampered.wrappedKey[20] ?? 0) ^ 1;
    expect(() => openValue(own, at, tampered)).toThrow(DecryptionError);
  });

  it("never shows a cached data key when the ring is logged or serialised", () => {
    const own = KeyRing.of(randomBytes(32));
    openValue(own, at, sealValue(own, at, plaintext));
    const shown = `${inspect(own, { depth: 5, showHidden: true })} ${inspect(own.dataKeys)} ${JSON.stringify(own)} ${JSON.stringify(own.dataKeys)}`;
    expect(shown).not.toMatch(/[A-Za-z0-9+/]{40,}|[0-9a-f]{64}|<Buffer/);
    own.dataKeys.clear();
    expect(own.dataKeys.size).toBe(0);
  });

  it("uses a fresh data key and IV every time", () => {
    const a = sealValue(ring, at, plaintext);
    const b = sealValue(ring, at, plaintext);
    expect(a.wrappedKey.equals(b.wrappedKey)).toBe(false);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
  });

  it.each([
    ["another tenant", { ...at, tenantId: "t2" }],
    ["another name", { ...at, name: "DB_PASSWORD2" }],
    ["another version", { ...at, version: 4 }],
  ])("refuses a ciphertext read at %s", (_, elsewhere) => {
    const sealed = sealValue(ring, at, plaintext);
    expect(() => openValue(ring, elsewhere, sealed)).toThrow(DecryptionError);
    expect(() => openValue(ring, elsewhere, sealed)).toThrow(
      "the stored ciphertext does not belong to this row: it was moved or tampered with",
    );
  });

  it("keeps the address encoding unambiguous", () => {
    // With naive concatenation, ("t1", "AB") and ("t1A", "B") would share their additional data.
    const sealed = sealValue(ring, { tenantId: "t1", name: "AB", version: 1 }, plaintext);
    expect(() => openValue(ring, { tenantId: "t1A", name: "B", version: 1 }, sealed)).toThrow(
      DecryptionError,
    );
  });

  it("detects a flipped bit in any part", () => {
    for (const part of ["wrappedKey", "iv", "ciphertext", "authTag"] as const) {
      const sealed = sealValue(ring, at, plaintext);
      sealed[part][0]! ^= 1;
      expect(() => openValue(ring, at, sealed), part).toThrow(DecryptionError);
    }
  });

  it("needs the master key that wrapped the data key, and names it when missing", () => {
    const sealed = sealValue(ring, at, plaintext);
    const other = KeyRing.of(randomBytes(32));
    expect(() => openValue(other, at, sealed)).toThrow(MasterKeyError);
    expect(() => openValue(other, at, sealed)).toThrow(sealed.keyId);
  });

  it("unwraps with an older key in a ring whose current key is newer (rotation)", () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const sealed = sealValue(KeyRing.of(oldKey), at, plaintext);
    const rotated = new KeyRing(
      [
        { id: masterKeyId(oldKey), key: oldKey },
        { id: masterKeyId(newKey), key: newKey },
      ],
      masterKeyId(newKey),
    );
    expect(openValue(rotated, at, sealed)).toEqual(plaintext);
    expect(sealValue(rotated, at, plaintext).keyId).toBe(masterKeyId(newKey));
  });

  it("keeps keys out of inspect and JSON output", async () => {
    const key = randomBytes(32);
    const keyRing = KeyRing.of(key);
    const { inspect } = await import("node:util");
    for (const text of [inspect(keyRing, { depth: 5 }), JSON.stringify(keyRing)]) {
      expect(text).not.toContain(key.toString("base64"));
      expect(text).not.toContain(key.toString("hex"));
      expect(text).toContain(masterKeyId(key));
    }
  });
});
