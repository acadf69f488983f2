import { LRUCache } from "lru-cache";

/** At most this many unwrapped data keys are held. */
const MAX_KEYS = 10_000;
/** An unwrapped data key is dropped this long after it was unwrapped, read or not. */
const TTL_MS = 5 * 60_000;

/**
 * Unwrapped data keys, so that a value read often costs one AES-GCM decryption instead of two.
 * The master key that unwraps them is in memory anyway. Bounded in count and age; a key leaving
 * the cache is zeroed. Never logged or serialised: `toJSON` and `util.inspect` show its size only.
 */
export class DataKeyCache {
  readonly #keys = new LRUCache<string, Buffer>({
    max: MAX_KEYS,
    ttl: TTL_MS,
    // Not extended by reads: a key leaves memory at most TTL_MS after it was unwrapped.
    updateAgeOnGet: false,
    dispose: (key) => key.fill(0),
  });

  /**
   * The data key cached under `id`, or the one `unwrap` returns, which is cached. `id` must
   * name the wrapped key exactly (its master key, its bytes and the row it belongs to).
   */
  get(id: string, unwrap: () => Buffer): Buffer {
    const cached = this.#keys.get(id);
    if (cached !== undefined) return cached;
    const key = unwrap();
    this.#keys.set(id, key);
    return key;
  }

  /** Zeroes and drops every key. */
  clear(): void {
    this.#keys.clear();
  }

  get size(): number {
    return this.#keys.size;
  }

  toJSON(): unknown {
    return { dataKeys: this.#keys.size };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `DataKeyCache { ${this.#keys.size} keys }`;
  }
}
