import { LIMITS } from "@hush/schema";

/**
 * The service's defaults, in one place: `openService` falls back on them and `hush-server
 * start --help` shows them. The limits clients check too come from `LIMITS` of `@hush/schema`.
 */
export const SERVICE_DEFAULTS = {
  /** The largest value accepted, in bytes of its JSON serialisation (64 KiB). */
  maxValueBytes: LIMITS.maxValueBytes,
  /** The most bytes of values one request may read, all its fields together (8 MiB). */
  maxRequestValueBytes: LIMITS.maxRequestValueBytes,
  /** How many values per secret are kept for rollback. */
  maxVersions: 10,
  /** How many versions per secret keep their metadata. */
  maxVersionRecords: 1000,
  /** How long a token check is cached, in milliseconds. */
  tokenCacheTtlMs: 5_000,
  /** Audit events older than this many days are deleted; 0 keeps them however old. */
  auditMaxAgeDays: 90,
  /** Past this many audit events in a tenant, the oldest are deleted; 0 sets no limit. */
  auditMaxEventsPerTenant: 1_000_000,
  /** How often old audit events are looked for, in milliseconds. */
  auditPruneIntervalMs: 60_000,
} as const;
