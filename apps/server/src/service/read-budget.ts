import { RequestLimit } from "@hush/schema";
import type { ServiceError } from "./errors.js";
import { MAX_SECRETS_PER_CALL, MAX_VALUES_PER_REQUEST } from "./limits.js";
import { badInput } from "./validation.js";

const MiB = 1024 * 1024;

/** Bytes as MiB with at most two decimals: `12.5`, `8`, `0.19`. */
function mebibytes(bytes: number): string {
  return String(Math.round((bytes / MiB) * 100) / 100);
}

/** A request asks for more values than one request may read. */
export function tooManyValues(requested: number): ServiceError {
  return badInput(
    `This request would read ${requested} values; the limit is ${MAX_VALUES_PER_REQUEST} values per request, the names of its secretValue, secret_value and secretValues fields together: ask for fewer names, or split them over several requests.`,
    { limit: RequestLimit.VALUES, max: MAX_VALUES_PER_REQUEST, requested },
  );
}

/** `secretValues` without names, in a tenant with more secrets than one call reads. */
export function tooManySecrets(): ServiceError {
  return badInput(
    `The tenant has more than ${MAX_SECRETS_PER_CALL} secrets, more than one call reads; name the ones you need (at most ${MAX_SECRETS_PER_CALL} per call).`,
    { limit: RequestLimit.VALUES, max: MAX_SECRETS_PER_CALL },
  );
}

/** A request's values add up to more bytes than one request may read. */
function tooManyBytes(values: number, requested: number, max: number): ServiceError {
  return badInput(
    `This request would return ${values} values / ${mebibytes(requested)} MiB; the limit is ${mebibytes(max)} MiB per request: ask for fewer names, or split them over several requests.`,
    { limit: RequestLimit.VALUE_BYTES, max, requested },
  );
}

/**
 * What one request may still read: at most 1000 values and `maxBytes` bytes of values (as
 * stored: their JSON), all its fields together. Each value read is charged before it is
 * decrypted, so a request never decrypts, holds or serialises more than its budget.
 */
export class ReadBudget {
  readonly maxBytes: number;
  #values = 0;
  #bytes = 0;

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
  }

  /** Whether `values` more values of at most `bytesEach` bytes surely fit. */
  fits(values: number, bytesEach: number): boolean {
    return (
      this.#values + values <= MAX_VALUES_PER_REQUEST &&
      this.#bytes + values * bytesEach <= this.maxBytes
    );
  }

  /** Refuses (BAD_USER_INPUT) `values` more values of `bytes` in all if they do not fit. */
  check(values: number, bytes: number): void {
    if (this.#values + values > MAX_VALUES_PER_REQUEST) {
      throw tooManyValues(this.#values + values);
    }
    if (this.#bytes + bytes > this.maxBytes) {
      throw tooManyBytes(this.#values + values, this.#bytes + bytes, this.maxBytes);
    }
  }

  /** Counts `values` more values of `bytes` in all; refused as by {@link check}. */
  charge(values: number, bytes: number): void {
    this.check(values, bytes);
    this.#values += values;
    this.#bytes += bytes;
  }
}
