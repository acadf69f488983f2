/** What {@link WindowCounter.consume} and {@link WindowCounter.penalty} answer. */
export interface Counted {
  /** Points counted in the key's current window, this one included. */
  readonly consumed: number;
  /** Milliseconds until the key's window ends and its count starts again from 0. */
  readonly msBeforeNext: number;
}

interface Window {
  consumed: number;
  endsAt: number;
}

// Windows kept before ended ones are swept out, so that keys seen once do not pile up.
const SWEEP_ABOVE = 10_000;

/**
 * Requests counted per key in fixed windows that start at a key's first request, in this
 * process's memory: synchronous, one map lookup per request. A key's window ends `seconds` after
 * it started; ended windows are swept out once more than 10,000 keys are held, so memory stays
 * bounded by the keys seen within one window.
 */
export class WindowCounter {
  readonly #points: number;
  readonly #ms: number;
  readonly #now: () => number;
  readonly #windows = new Map<string, Window>();

  /**
   * @param points How many requests a key may make in one window.
   * @param seconds How long a window lasts.
   */
  constructor(points: number, seconds: number, now: () => number = Date.now) {
    this.#points = points;
    this.#ms = seconds * 1000;
    this.#now = now;
  }

  /** Counts one request of `key`; the count past the limit, or undefined within it. */
  consume(key: string): Counted | undefined {
    const counted = this.penalty(key);
    return counted.consumed > this.#points ? counted : undefined;
  }

  /** Counts one point against `key` without asking whether it is over the limit. */
  penalty(key: string): Counted {
    const now = this.#now();
    let window = this.#windows.get(key);
    if (window === undefined || window.endsAt <= now) {
      if (window === undefined && this.#windows.size >= SWEEP_ABOVE) this.#sweep(now);
      window = { consumed: 0, endsAt: now + this.#ms };
      this.#windows.set(key, window);
    }
    window.consumed += 1;
    return { consumed: window.consumed, msBeforeNext: window.endsAt - now };
  }

  /** What has been counted for `key` in its current window, if anything. */
  get(key: string): Counted | undefined {
    const window = this.#windows.get(key);
    const now = this.#now();
    if (window === undefined || window.endsAt <= now) return undefined;
    return { consumed: window.consumed, msBeforeNext: window.endsAt - now };
  }

  #sweep(now: number): void {
    for (const [key, window] of this.#windows) {
      if (window.endsAt <= now) this.#windows.delete(key);
    }
  }
}
