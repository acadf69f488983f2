/**
 * A small bounded cache of token checks, positive and negative, keyed by token hash. Entries
 * live a few seconds, so a token revoked by another replica stops working within that time; a
 * revocation through this process evicts at once.
 */
export class TokenCache<V> {
  readonly #entries = new Map<string, { value: V | undefined; until: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: { ttlMs: number; maxEntries: number; now: () => number }) {
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries;
    this.#now = options.now;
  }

  /** `{ value }` when cached (value undefined for a known-bad token), else undefined. */
  get(hash: string): { value: V | undefined } | undefined {
    const entry = this.#entries.get(hash);
    if (entry === undefined) return undefined;
    if (entry.until <= this.#now()) {
      this.#entries.delete(hash);
      return undefined;
    }
    return { value: entry.value };
  }

  /** Caches a check; `notAfter` caps the entry's life (a token's expiry). */
  set(hash: string, value: V | undefined, notAfter?: number): void {
    if (this.#ttlMs <= 0) return;
    const until = Math.min(this.#now() + this.#ttlMs, notAfter ?? Number.POSITIVE_INFINITY);
    this.#entries.delete(hash);
    // Maps iterate in insertion order: the first key is the oldest entry.
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(hash, { value, until });
  }

  delete(hash: string): void {
    this.#entries.delete(hash);
  }
}
