interface Entry<V> {
  readonly promise: Promise<V>;
  expiresAt: number;
}

/**
 * An in-memory cache of promises with a time to live. A pending promise is shared, so concurrent
 * reads of one key make one request (single-flight); a rejected promise is dropped at once, so a
 * failure is never served from the cache; a fulfilled one lives `ttlMs` from when it settled.
 */
export class SingleFlightCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(ttlMs: number, now: () => number = () => Date.now()) {
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** The cached or pending promise for `key`, if there is one that has not expired. */
  get(key: string): Promise<V> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.promise;
  }

  /** Caches `promise` under `key` and returns it. */
  set(key: string, promise: Promise<V>): Promise<V> {
    const entry: Entry<V> = { promise, expiresAt: Number.POSITIVE_INFINITY };
    this.#entries.set(key, entry);
    promise.then(
      () => {
        entry.expiresAt = this.#now() + this.#ttlMs;
      },
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    return promise;
  }

  /** The cached promise for `key`, or the one `load` makes, cached. */
  getOrLoad(key: string, load: () => Promise<V>): Promise<V> {
    return this.get(key) ?? this.set(key, load());
  }
}
