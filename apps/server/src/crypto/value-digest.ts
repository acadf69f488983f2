import { createHmac, hkdfSync } from "node:crypto";
import type { KeyRing, MasterKey } from "./key-ring.js";

/** A keyed digest of a value's plaintext and the master key its key was derived from. */
export interface ValueDigest {
  readonly digest: Buffer;
  readonly keyId: string;
}

// Derived keys by master key id and tenant: one HKDF per tenant and key, not one per write.
const derived = new WeakMap<MasterKey, Map<string, Buffer>>();

function digestKey(master: MasterKey, tenantId: string): Buffer {
  let keys = derived.get(master);
  if (keys === undefined) {
    keys = new Map();
    derived.set(master, keys);
  }
  let key = keys.get(tenantId);
  if (key === undefined) {
    key = Buffer.from(
      hkdfSync("sha256", master.key, Buffer.alloc(0), `hush/value-digest/v1\0${tenantId}`, 32),
    );
    keys.set(tenantId, key);
  }
  return key;
}

/**
 * HMAC-SHA256 of a value's plaintext (its JSON) under a key derived per tenant from the ring's
 * current master key: equal values of one tenant have equal digests under one master key, and
 * nobody without the key can test a guess against a digest. Comparing environments compares
 * these; digests are never returned to a caller.
 */
export function valueDigest(ring: KeyRing, tenantId: string, plaintext: Buffer): ValueDigest {
  const master = ring.current;
  const digest = createHmac("sha256", digestKey(master, tenantId)).update(plaintext).digest();
  return { digest, keyId: master.id };
}
