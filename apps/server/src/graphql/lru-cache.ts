/**
 * A small least-recently-used map bounded by entry count and by the total length of its keys
 * (the keys are query documents, so the second bound caps memory held for large documents).
 */
export class LruCache<V> {
  readonly #entries = new Map<string, V>();
  readonly #maxEntries: number;
  readonly #maxKeyChars: number;
  #keyChars = 0;

  constructor(options: { maxEntries: number; maxKeyChars: number }) {
    this.#maxEntries = options.maxEntries;
    this.#maxKeyChars = options.maxKeyChars;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Map keeps insertion order: re-inserting makes this the most recently used entry.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    if (key.length > this.#maxKeyChars) return;
    if (this.#entries.delete(key)) this.#keyChars -= key.length;
    this.#entries.set(key, value);
    this.#keyChars += key.length;
    while (this.#entries.size > this.#maxEntries || this.#keyChars > this.#maxKeyChars) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
      this.#keyChars -= oldest.length;
    }
  }
}
