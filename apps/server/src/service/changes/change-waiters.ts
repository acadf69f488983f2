/** How many long polls one token may hold at once; past it, polls answer at once. */
export const MAX_WAITS_PER_TOKEN = 10;

/** A long poll's subscription: taken before it reads, so no change slips in between. */
export interface ChangeWait {
  /** Resolves when a change of the tenant comes, after `ms`, or when the server closes. */
  until(ms: number): Promise<void>;
  /** Stops waiting (and frees the token's place). */
  end(): void;
}

/**
 * The long polls of `secretChanges` waiting for their tenant's next change: woken by this
 * process's commits and by other replicas' notices, all released at once on close. One token
 * holds at most {@link MAX_WAITS_PER_TOKEN}, so a client cannot tie up the server with them.
 */
export class ChangeWaiters {
  readonly #byTenant = new Map<string, Set<() => void>>();
  readonly #perToken = new Map<string, number>();
  #closed = false;

  get closed(): boolean {
    return this.#closed;
  }

  /** A subscription to `tenantId`'s changes; undefined once closed or when the token holds its most. */
  subscribe(tenantId: string, tokenId: string): ChangeWait | undefined {
    const held = this.#perToken.get(tokenId) ?? 0;
    if (this.#closed || held >= MAX_WAITS_PER_TOKEN) return undefined;
    this.#perToken.set(tokenId, held + 1);
    // A change that came while the poll was reading (not waiting): its next wait ends at once.
    let woken = false;
    let release: (() => void) | undefined;
    const wake = () => {
      if (release !== undefined) release();
      else woken = true;
    };
    let tenant = this.#byTenant.get(tenantId);
    if (tenant === undefined) {
      tenant = new Set();
      this.#byTenant.set(tenantId, tenant);
    }
    tenant.add(wake);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      release?.();
      const set = this.#byTenant.get(tenantId);
      set?.delete(wake);
      if (set?.size === 0) this.#byTenant.delete(tenantId);
      const left = (this.#perToken.get(tokenId) ?? 1) - 1;
      if (left > 0) this.#perToken.set(tokenId, left);
      else this.#perToken.delete(tokenId);
    };
    return {
      until: (ms) =>
        new Promise<void>((resolve) => {
          if (woken || ended || this.#closed) {
            woken = false;
            return resolve();
          }
          const timer = setTimeout(done, ms);
          function done() {
            clearTimeout(timer);
            release = undefined;
            resolve();
          }
          release = done;
        }),
      end,
    };
  }

  /** Wakes the polls waiting for `tenantId`'s changes. */
  wake(tenantId: string): void {
    for (const wake of this.#byTenant.get(tenantId) ?? []) wake();
  }

  /** Wakes every poll (after notices may have been missed). */
  wakeAll(): void {
    for (const tenant of this.#byTenant.values()) for (const wake of tenant) wake();
  }

  /** Releases every poll now and refuses new waits: the server is closing. */
  close(): void {
    this.#closed = true;
    this.wakeAll();
  }
}
