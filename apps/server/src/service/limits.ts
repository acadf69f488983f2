import { LIMITS } from "@hush/schema";
import { badInput } from "./validation.js";

/** The most secrets one call may set or read. */
export const MAX_SECRETS_PER_CALL = LIMITS.maxSecretsPerCall;

/**
 * The most values one request may read, all its value-reading fields together (aliases
 * included): as many as one call reads.
 */
export const MAX_VALUES_PER_REQUEST = MAX_SECRETS_PER_CALL;

/** The largest page of a listing. */
export const MAX_PAGE_SIZE = LIMITS.maxPageSize;

/** Checks a listing's `limit` and `offset`, each optional. */
export function validatePage(limit: number | undefined, offset: number | undefined): void {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)) {
    throw badInput(`limit must be a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  if (offset !== undefined && (!Number.isInteger(offset) || offset < 0)) {
    throw badInput("offset must be a whole number, 0 or more.");
  }
}
