/**
 * The API's size limits, in one place: the server's defaults, and what clients check before
 * sending so that a user hears about a limit from their own tool. A server may be started with
 * another `maxValueBytes` (`hush-server start --max-value-bytes`), and it always has the last word.
 */
export const LIMITS = {
  /** The largest secret value a server takes by default, in bytes of its JSON text (64 KiB). */
  maxValueBytes: 65_536,
  /** The largest page (`limit`) of a listing. */
  maxPageSize: 1000,
  /** The most secrets one call may set or read, and the most values one request may read. */
  maxSecretsPerCall: 1000,
  /**
   * The bytes of values (their stored JSON) one request may read by default, all its fields
   * together (8 MiB); `hush-server start --max-request-value-bytes` sets another.
   */
  maxRequestValueBytes: 8 * 1024 * 1024,
} as const;
