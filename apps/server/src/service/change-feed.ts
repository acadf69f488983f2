import type { ChangeKind, ChangeNoticeSink } from "../storage/change-notifications.js";

/**
 * What a replica hears about changes made by the others: `keys`, `tokens`, `environments` and
 * `changes` (with the tenant's id) as notified, and
 * `resync` after notices may have been missed (the listening connection was lost), when every
 * cache must be dropped. While `live` is false, caches keep entries only briefly.
 */
export class ChangeFeed implements ChangeNoticeSink {
  readonly #listeners = new Set<(kind: ChangeKind | "resync", tenantId?: string) => void>();
  #live: boolean;

  /** @param live Whether notices arrive; a feed nobody feeds (SQLite) starts and stays live. */
  constructor(live = true) {
    this.#live = live;
  }

  get live(): boolean {
    return this.#live;
  }

  on(listener: (kind: ChangeKind | "resync", tenantId?: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Hands a notice to every listener. */
  emit(kind: ChangeKind | "resync", tenantId?: string): void {
    for (const listener of this.#listeners) listener(kind, tenantId);
  }

  /** Notices stopped arriving (false) or arrive again (true, after a `resync`). */
  setLive(live: boolean): void {
    if (live === this.#live) return;
    this.#live = live;
    if (live) this.emit("resync");
  }
}
