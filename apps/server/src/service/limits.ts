import { LIMITS, RequestLimit } from "@hush/schema";
import { badInput } from "./validation.js";

/** The most secrets one call may set or read. */
export const MAX_SECRETS_PER_CALL = LIMITS.maxSecretsPerCall;

/**
 * The most values one request may read, all its value-reading fields together (aliases
 * included): as many as one call reads.
 */
export const MAX_VALUES_PER_REQUEST = MAX_SECRETS_PER_CALL;

/** The largest page of a listing, and the most entries of a list argument. */
export const MAX_PAGE_SIZE = LIMITS.maxPageSize;

/** Checks a listing's `limit`: a whole number from 1 to `MAX_PAGE_SIZE`, when given. */
export function checkLimit(limit: number | null | undefined): number | undefined {
  if (limit === null || limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw badInput(`limit must be between 1 and ${MAX_PAGE_SIZE}; page through more with offset.`, {
      argument: "limit",
      limit: RequestLimit.PAGE_SIZE,
      max: MAX_PAGE_SIZE,
      ...(Number.isFinite(limit) ? { requested: limit } : {}),
    });
  }
  return limit;
}

/** Checks a listing's `offset`: a whole number, 0 or more, when given. */
export function checkOffset(offset: number | null | undefined): number | undefined {
  if (offset === null || offset === undefined) return undefined;
  if (!Number.isInteger(offset) || offset < 0) {
    throw badInput("offset must be 0 or more.", { argument: "offset" });
  }
  return offset;
}

/** Checks a listing's `limit` and `offset`, each optional. */
export function validatePage(limit: number | undefined, offset: number | undefined): void {
  checkLimit(limit);
  checkOffset(offset);
}

/** Checks that a list argument has at most `MAX_PAGE_SIZE` entries. */
export function checkListSize(argument: string, list: readonly unknown[]): void {
  if (list.length > MAX_PAGE_SIZE) {
    throw badInput(`${argument} takes at most ${MAX_PAGE_SIZE} entries; split the request.`, {
      argument,
      limit: RequestLimit.PAGE_SIZE,
      max: MAX_PAGE_SIZE,
      requested: list.length,
    });
  }
}
