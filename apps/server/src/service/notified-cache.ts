import { LRUCache } from "lru-cache";
import type { ChangeKind } from "../storage/change-notifications.js";
import type { ChangeFeed } from "./change-feed.js";

// How long an entry is kept while change notices do not arrive (the listening connection to
// PostgreSQL is lost): a change made elsewhere then takes effect within this time.
const FALLBACK_TTL_MS = 1000;

/** Settings of a {@link NotifiedCache}. */
export interface NotifiedCacheOptions {
  /** How long an entry stays usable; 0 or less turns the cache off. */
  ttlMs: number;
  maxEntries: number;
  /** The clock entries age by (the service's, so tests can move it). */
  clock: () => Date;
  /** Where other replicas' notices arrive; every entry is dropped on `kind` and on a resync. */
  changes?: ChangeFeed | undefined;
  kind: ChangeKind;
}

/**
 * A cache of what the database holds, for the hot path, kept true across replicas: entries live
 * `ttlMs` at most, are all dropped when another replica's notice of `kind` arrives (or notices
 * were missed), and live at most a second while notices do not arrive. The process that changes
 * what an entry holds drops it itself (`delete`).
 */
export class NotifiedCache<K extends {}, V extends {}> {
  readonly #entries: LRUCache<K, V> | undefined;
  /** In lru-cache's terms: it keeps an entry until strictly more than its ttl has passed. */
  readonly #ttl: number;
  readonly #changes: ChangeFeed | undefined;

  constructor(options: NotifiedCacheOptions) {
    this.#changes = options.changes;
    this.#ttl = options.ttlMs - 1;
    this.#entries =
      this.#ttl > 0
        ? new LRUCache<K, V>({
            max: options.maxEntries,
            ttl: this.#ttl,
            // Entries age by the service's clock, read on every lookup.
            perf: { now: () => options.clock().getTime() },
            ttlResolution: 0,
          })
        : undefined;
    options.changes?.on((kind) => {
      if (kind === options.kind || kind === "resync") this.#entries?.clear();
    });
  }

  get(key: K): V | undefined {
    return this.#entries?.get(key);
  }

  /** Keeps `value`, for no longer than `maxTtlMs` when given (e.g. until a token expires). */
  set(key: K, value: V, maxTtlMs?: number): void {
    const keepFor =
      this.#changes?.live === false ? Math.min(this.#ttl, FALLBACK_TTL_MS - 1) : this.#ttl;
    const ttl = maxTtlMs === undefined ? keepFor : Math.min(keepFor, maxTtlMs - 1);
    if (ttl > 0) this.#entries?.set(key, value, { ttl });
  }

  /** Drops one entry (after this process changed what it holds). */
  delete(key: K): void {
    this.#entries?.delete(key);
  }
}
