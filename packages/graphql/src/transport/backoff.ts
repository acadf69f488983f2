/** How long to wait between attempts: exponential, capped, with jitter. */
export interface Backoff {
  /** The first wait, before jitter. */
  readonly baseMs: number;
  /** The longest wait. */
  readonly maxMs: number;
}

/**
 * The wait before retry number `retry` (0 for the first retry): half of `base · 2^retry`
 * (capped at `max`) plus a random share of the other half, so that clients that failed together
 * do not retry together.
 */
export function backoffDelay(retry: number, backoff: Backoff, random: () => number = Math.random) {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** retry);
  return ceiling / 2 + random() * (ceiling / 2);
}
