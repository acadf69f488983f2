/**
 * The API's limits, as a `BAD_USER_INPUT` refusal names them in `extensions.limit`, beside
 * `extensions.max` (the limit) and, where there is one figure, `extensions.requested` (what the
 * request asked for). A client that gets one asks for less: fewer names, a smaller page, the
 * names in several requests.
 *
 * @example
 * if (error.extensions.limit === RequestLimit.VALUE_BYTES) …
 */
export const RequestLimit = {
  /** Values one request reads: the names of all its value-reading fields, aliases included. */
  VALUES: "VALUES_PER_REQUEST",
  /** Bytes of values (their stored JSON) one request reads, all its fields together. */
  VALUE_BYTES: "VALUE_BYTES_PER_REQUEST",
  /** Bytes of one secret's value, serialised as JSON (`LIMITS.maxValueBytes` by default). */
  VALUE_SIZE: "VALUE_BYTES",
  /** Secrets one call sets or reads (`LIMITS.maxSecretsPerCall`). */
  SECRETS_PER_CALL: "SECRETS_PER_CALL",
  /** The largest page (`limit`) of a listing, and the most entries of a list argument. */
  PAGE_SIZE: "PAGE_SIZE",
} as const;

/** One of {@link RequestLimit}'s values. */
export type RequestLimit = (typeof RequestLimit)[keyof typeof RequestLimit];
