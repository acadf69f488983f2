import { RequestLimit } from "@hush/schema";
import { ApiError } from "./errors/api-error.js";

/** The round trips {@link readValues} makes. */
export interface ValueRequests {
  /** `secretValues` with these names, or without names (every secret) when undefined. */
  values(names: readonly string[] | undefined): Promise<Record<string, unknown>>;
  /** `secretNames`. */
  names(): Promise<string[]>;
}

/** The server refused a read as more than one request may read (values or bytes). */
function tooMuchAtOnce(error: unknown): error is ApiError {
  const limit = error instanceof ApiError ? error.extensions.limit : undefined;
  return (
    error instanceof ApiError &&
    error.code === "BAD_USER_INPUT" &&
    Object.values<unknown>(RequestLimit).includes(limit)
  );
}

/**
 * How many names a batch should hold after `refusal`: as many batches as its figures say the
 * bytes need, never more names than a request may read.
 */
function batchSize(refusal: ApiError, names: number): number {
  const { limit, max, requested } = refusal.extensions;
  if (typeof max !== "number" || !(max > 0)) return names;
  if (limit === RequestLimit.VALUES) return Math.min(names, max);
  const batches = typeof requested === "number" ? Math.ceil(requested / max) : 2;
  return Math.ceil(names / Math.max(2, batches));
}

/**
 * The values of `names` (every secret's when undefined) in one round trip; or, when the server
 * answers that this is more than one request may read (`extensions.limit`, see `RequestLimit`),
 * by name in batches that fit: batches sized from the refusal's figures, halved while still
 * refused. Reading every secret then lists the names first; one deleted meanwhile is left out.
 */
export async function readValues(
  requests: ValueRequests,
  names: readonly string[] | undefined,
): Promise<Record<string, unknown>> {
  let refusal: ApiError;
  try {
    return await requests.values(names);
  } catch (error) {
    if (!tooMuchAtOnce(error)) throw error;
    refusal = error;
  }
  const every = names === undefined;
  const all = names === undefined ? await requests.names() : [...new Set(names)];
  const size = Math.max(1, batchSize(refusal, all.length));
  const pending: string[][] = [];
  for (let i = 0; i < all.length; i += size) pending.push(all.slice(i, i + size));
  const entries: Array<[string, unknown]> = [];
  for (let batch = pending.shift(); batch !== undefined; batch = pending.shift()) {
    try {
      entries.push(...Object.entries(await requests.values(batch)));
    } catch (error) {
      if (tooMuchAtOnce(error) && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        pending.unshift(batch.slice(0, half), batch.slice(half));
        continue;
      }
      const gone = every && error instanceof ApiError && error.code === "NOT_FOUND";
      const missing = gone ? error.extensions.names : undefined;
      if (Array.isArray(missing) && missing.length > 0) {
        const rest = batch.filter((name) => !missing.includes(name));
        if (rest.length < batch.length) {
          if (rest.length > 0) pending.unshift(rest);
          continue;
        }
      }
      throw error;
    }
  }
  // fromEntries defines own properties: a secret named __proto__ stays a key.
  return Object.fromEntries(entries);
}
