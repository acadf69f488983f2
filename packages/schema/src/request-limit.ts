/**
 * The limits on what one request may read, as a `BAD_USER_INPUT` refusal names them in
 * `extensions.limit`, beside `extensions.max` (the limit) and `extensions.requested` (what the
 * request asked for). A client that gets one reads less per request: fewer names, or the names
 * in several requests.
 *
 * @example
 * if (error.extensions.limit === RequestLimit.VALUE_BYTES) …
 */
export const RequestLimit = {
  /** Values one request reads: the names of all its value-reading fields, aliases included. */
  VALUES: "VALUES_PER_REQUEST",
  /** Bytes of values (their stored JSON) one request reads, all its fields together. */
  VALUE_BYTES: "VALUE_BYTES_PER_REQUEST",
} as const;

/** One of {@link RequestLimit}'s values. */
export type RequestLimit = (typeof RequestLimit)[keyof typeof RequestLimit];
