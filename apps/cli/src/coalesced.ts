/** Timings of {@link Coalesced}. */
export interface CoalescedTimings {
  /** How long after a first trigger the work starts, so that a burst of triggers is one run. */
  quietMs: number;
  /** The least time between two starts of the work. */
  minIntervalMs: number;
  /** Waits before running again after the work failed: doubling from the first, at most the last. */
  retryMs: { first: number; max: number };
}

const TIMINGS: CoalescedTimings = {
  quietMs: 300,
  minIntervalMs: 1_000,
  retryMs: { first: 1_000, max: 30_000 },
};

/**
 * Runs `work` once for a burst of triggers, never two at a time and never two starts less than
 * `minIntervalMs` apart: what `--watch` does with each change. A trigger while the work runs
 * makes one more run after it. When the work fails, `failed` is told and the work runs again
 * after a backoff (a trigger meanwhile does not cut it short).
 */
export class Coalesced {
  readonly #work: () => Promise<void>;
  readonly #failed: (error: unknown) => void;
  readonly #timings: CoalescedTimings;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #again = false;
  #lastStart = Number.NEGATIVE_INFINITY;
  #failures = 0;
  #stopped = false;

  constructor(
    work: () => Promise<void>,
    failed: (error: unknown) => void,
    timings: Partial<CoalescedTimings> = {},
  ) {
    this.#work = work;
    this.#failed = failed;
    this.#timings = { ...TIMINGS, ...timings };
  }

  /** Asks for the work to run (soon, once, whatever else asks). */
  trigger(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer !== undefined) return;
    const { quietMs, minIntervalMs } = this.#timings;
    this.#schedule(Math.max(quietMs, this.#lastStart + minIntervalMs - performance.now()));
  }

  /** No more runs; one running now finishes. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(ms: number): void {
    this.#timer = setTimeout(() => void this.#run(), ms);
  }

  async #run(): Promise<void> {
    this.#timer = undefined;
    this.#running = true;
    this.#again = false;
    this.#lastStart = performance.now();
    let failed = false;
    try {
      await this.#work();
      this.#failures = 0;
    } catch (error) {
      failed = true;
      this.#failed(error);
    } finally {
      this.#running = false;
    }
    if (this.#stopped) return;
    if (failed) {
      const { first, max } = this.#timings.retryMs;
      this.#schedule(Math.min(first * 2 ** this.#failures, max));
      this.#failures += 1;
    } else if (this.#again) {
      this.trigger();
    }
  }
}
