import { createHash } from "node:crypto";
import { DataKeyCache } from "./data-key-cache.js";
import { MasterKeyError } from "./errors.js";

/** The length of an AES-256 key in bytes. */
export const KEY_BYTES = 32;

/** A master key and its id. The id is stored beside every data key it wraps. */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * A short, stable id for a master key: the first 16 hex digits of a domain-separated SHA-256 of
 * the key. It tells keys apart without revealing anything useful about them.
 */
export function masterKeyId(key: Buffer): string {
  return createHash("sha256").update("hush master key id\0").update(key).digest("hex").slice(0, 16);
}

/**
 * The master keys a server holds: the current one wraps new data keys; the others still unwrap
 * data keys written before a rotation.
 */
export class KeyRing {
  readonly current: MasterKey;
  readonly #keys: ReadonlyMap<string, MasterKey>;
  /**
   * The data keys these master keys unwrapped. A ring is never changed: a rotation makes a new
   * ring, with an empty cache, and re-wraps the data keys.
   */
  readonly dataKeys = new DataKeyCache();

  constructor(keys: readonly MasterKey[], currentId?: string) {
    const first = keys[0];
    if (first === undefined) throw new MasterKeyError("No master key was given.");
    this.#keys = new Map(keys.map((k) => [k.id, k]));
    const current = currentId === undefined ? first : this.#keys.get(currentId);
    if (current === undefined) {
      throw new MasterKeyError(
        `The current master key ${currentId} is not among the keys given; fix the key file.`,
      );
    }
    this.current = current;
  }

  /** A ring holding one key. */
  static of(key: Buffer): KeyRing {
    return new KeyRing([{ id: masterKeyId(key), key }]);
  }

  get(id: string): MasterKey | undefined {
    return this.#keys.get(id);
  }

  get ids(): string[] {
    return [...this.#keys.keys()];
  }

  // Keys must never show up in logs or inspected objects.
  toJSON(): unknown {
    return { keyIds: this.ids, current: this.current.id };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `KeyRing { current: ${this.current.id}, keys: [${this.ids.join(", ")}] }`;
  }
}
