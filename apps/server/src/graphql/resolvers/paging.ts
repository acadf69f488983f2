import { ServiceError } from "../../service/errors.js";
import { MAX_PAGE_SIZE } from "../../service/limits.js";

/** Checks a `limit` argument: an integer from 1 to 1000 when given. */
export function checkLimit(limit: number | null | undefined): number | undefined {
  if (limit === null || limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ServiceError(
      "BAD_USER_INPUT",
      `limit must be between 1 and ${MAX_PAGE_SIZE}; page through more with offset.`,
    );
  }
  return limit;
}

/** Checks an `offset` argument: an integer of 0 or more when given. */
export function checkOffset(offset: number | null | undefined): number | undefined {
  if (offset === null || offset === undefined) return undefined;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new ServiceError("BAD_USER_INPUT", "offset must be 0 or more.");
  }
  return offset;
}

/** Checks that a list argument has at most 1000 entries. */
export function checkListSize(argument: string, list: readonly unknown[]): void {
  if (list.length > MAX_PAGE_SIZE) {
    throw new ServiceError(
      "BAD_USER_INPUT",
      `${argument} takes at most ${MAX_PAGE_SIZE} entries; split the request.`,
    );
  }
}
