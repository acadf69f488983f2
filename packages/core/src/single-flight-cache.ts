interface Entry<V> {
  /** The last value loaded, and when. */
  loaded?: { readonly value: V; readonly at: number };
  /** The load in flight, shared by every reader. */
  pending?: Promise<V>;
}

/**
 * An in-memory cache with stale-while-revalidate. A value younger than `ttlMs` is returned as it
 * is; one older, but younger than `ttlMs + staleMs`, is returned at once while one background
 * load refreshes it (a failed refresh keeps it until then); anything older is loaded again.
 * Concurrent loads of one key are one load (single-flight); a failure is never cached.
 *
 * Kept rather than lru-cache: its stale values have no end (`allowStale`), and hush must stop
 * serving a stale value when `stale_ttl` ends.
 */
export class SingleFlightCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #ttlMs: number;
  readonly #staleMs: number;
  readonly #now: () => number;

  constructor(ttlMs: number, staleMs = 0, now: () => number = () => Date.now()) {
    this.#ttlMs = ttlMs;
    this.#staleMs = staleMs;
    this.#now = now;
  }

  /** Whether anything is kept at all. */
  get enabled(): boolean {
    return this.#ttlMs > 0 || this.#staleMs > 0;
  }

  /** The value for `key`: cached, stale (refreshed in the background), or loaded with `load`. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    return this.peek(key, load) ?? this.#load(key, this.#entry(key), load);
  }

  /**
   * The cached value for `key` (a stale one starts a background refresh with `load`), or the load
   * in flight; undefined when there is neither.
   */
  peek(key: string, load: () => Promise<V>): Promise<V> | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const { loaded } = entry;
    if (loaded !== undefined) {
      const age = this.#now() - loaded.at;
      if (age < this.#ttlMs) return Promise.resolve(loaded.value);
      if (age < this.#ttlMs + this.#staleMs) {
        // Failures of a background refresh are dropped: the stale value serves until it ends.
        if (entry.pending === undefined) this.#load(key, entry, load).catch(() => {});
        return Promise.resolve(loaded.value);
      }
      entry.loaded = undefined;
    }
    return entry.pending;
  }

  /** Stores a value loaded elsewhere (several at once, say). */
  set(key: string, value: V): void {
    this.#entry(key).loaded = { value, at: this.#now() };
  }

  #entry(key: string): Entry<V> {
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = {};
      this.#entries.set(key, entry);
    }
    return entry;
  }

  #load(key: string, entry: Entry<V>, load: () => Promise<V>): Promise<V> {
    const pending = load().then(
      (value) => {
        if (entry.pending === pending) entry.pending = undefined;
        entry.loaded = { value, at: this.#now() };
        return value;
      },
      (error: unknown) => {
        if (entry.pending === pending) entry.pending = undefined;
        if (entry.loaded === undefined && entry.pending === undefined) this.#entries.delete(key);
        throw error;
      },
    );
    entry.pending = pending;
    return pending;
  }
}
