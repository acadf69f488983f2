import { LRUCache } from "lru-cache";
import { REFUSALS_PER_TOKEN_PER_MINUTE } from "./policy.js";

const MINUTE_MS = 60_000;

/**
 * How many refused or missed calls each token has had recorded one by one in the current
 * minute, in this process. Past {@link REFUSALS_PER_TOKEN_PER_MINUTE}, the caller records them
 * as one suppressed event instead. Only tokens seen recently are remembered: one forgotten
 * starts a fresh minute, which costs at most one more minute's worth of events.
 */
export class RefusalBudget {
  readonly #used = new LRUCache<string, { minute: number; used: number }>({ max: 10_000 });

  /** Counts one refusal of `actorKey` at `at`; answers whether it still gets an event of its own. */
  admit(actorKey: string, at: Date): boolean {
    const minute = Math.floor(at.getTime() / MINUTE_MS);
    const seen = this.#used.get(actorKey);
    if (seen === undefined || seen.minute !== minute) {
      this.#used.set(actorKey, { minute, used: 1 });
      return true;
    }
    seen.used += 1;
    return seen.used <= REFUSALS_PER_TOKEN_PER_MINUTE;
  }
}
