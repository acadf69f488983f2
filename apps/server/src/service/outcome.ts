import type { ServiceError } from "./errors.js";

/**
 * What a write job answers. Expected failures are a value rather than a throw, so that the
 * audit event recorded with them commits, and a group of other jobs is not rolled back for an
 * ordinary NOT_FOUND.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ServiceError };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });

export const fail = (error: ServiceError): Outcome<never> => ({ ok: false, error });

/** The outcome's value; throws its error. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
