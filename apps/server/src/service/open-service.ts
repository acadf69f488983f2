import type { Logger } from "pino";
import { MasterKeyError } from "../crypto/errors.js";
import type { KeyRing } from "../crypto/key-ring.js";
import { createKeyFile, type KeySource, loadKeyRing } from "../crypto/load-key-ring.js";
import { StorageError } from "../storage/errors.js";
import { migrateToLatest } from "../storage/migrate.js";
import { type OpenDatabase, openDatabase } from "../storage/open-database.js";
import { openWriter } from "../storage/open-writer.js";
import type { Writer } from "../storage/writer.js";
import type { AuditRetentionMetrics } from "./audit/retention.js";
import { DELIVERY_DEFAULTS } from "./changes/delivery-worker.js";
import { DomainService } from "./domain-service.js";
import type { HushService } from "./hush-service.js";
import type { ExchangeMetrics } from "./identity-exchange.js";
import { syncReplicas } from "./replica-sync.js";
import { SERVICE_DEFAULTS } from "./service-defaults.js";

/** Where and how the service stores its data. */
export interface OpenServiceOptions {
  /** The data folder: holds `hush.db` (SQLite and its WAL) and `master.key`. Created if missing. */
  dataDir: string;
  /** A `postgres://…` URL: store in PostgreSQL instead of SQLite. */
  databaseUrl?: string | undefined;
  /**
   * The master key, base64 of 32 random bytes (`openssl rand -base64 32`).
   * @default env `HUSH_MASTER_KEY` or `HUSH_MASTER_KEYS`, else `<dataDir>/master.key`, created
   * with mode 0600
   */
  masterKey?: string | undefined;
  /**
   * The largest value accepted, in bytes of its JSON serialisation.
   * @default SERVICE_DEFAULTS.maxValueBytes (LIMITS.maxValueBytes of `@hush/schema`, 64 KiB)
   */
  maxValueBytes?: number | undefined;
  /**
   * The most bytes of values (their JSON, as stored) one request may read, all its fields
   * together; a request past it is refused before anything is decrypted. At least
   * `maxValueBytes`.
   * @default SERVICE_DEFAULTS.maxRequestValueBytes (8 MiB)
   */
  maxRequestValueBytes?: number | undefined;
  /**
   * How many values per secret are kept for rollback; older versions keep their metadata only.
   * @default SERVICE_DEFAULTS.maxVersions
   */
  maxVersions?: number | undefined;
  /**
   * How many versions per secret keep their metadata (`secretVersions`); older ones are deleted
   * as new versions are written. At least `maxVersions`.
   * @default SERVICE_DEFAULTS.maxVersionRecords
   */
  maxVersionRecords?: number | undefined;
  /**
   * How long a token check is cached, in milliseconds; a token revoked on another replica stops
   * working within this time.
   * @default SERVICE_DEFAULTS.tokenCacheTtlMs
   */
  tokenCacheTtlMs?: number | undefined;
  /**
   * Audit events older than this many days are deleted in the background; 0 keeps them
   * however old. Export them first if you need them longer (see the README).
   * @default SERVICE_DEFAULTS.auditMaxAgeDays
   */
  auditMaxAgeDays?: number | undefined;
  /**
   * Past this many audit events in a tenant, the oldest are deleted in the background; 0 sets
   * no limit.
   * @default SERVICE_DEFAULTS.auditMaxEventsPerTenant
   */
  auditMaxEventsPerTenant?: number | undefined;
  /**
   * How often old audit events are looked for, in milliseconds.
   * @default SERVICE_DEFAULTS.auditPruneIntervalMs
   */
  auditPruneIntervalMs?: number | undefined;
  logger?: Logger | undefined;
  /**
   * The environment to read `HUSH_MASTER_KEY` from.
   * @default process.env
   */
  env?: NodeJS.ProcessEnv | undefined;
  /** Metrics to report the writer queue, audit backlog and fill, and database pool into. */
  metrics?: StorageMetrics | undefined;
  /**
   * Called once if the storage can no longer write (SQLite's writer thread stopped): every
   * write fails from then on and `GET /readyz` answers 503, so the caller should log it and
   * stop the process. Nothing acknowledged is lost.
   */
  onStorageFailure?: ((error: Error) => void) | undefined;
  /**
   * Whether identity trusts may name issuers on private network addresses (10/8, 172.16/12,
   * 192.168/16, 100.64/10, fc00::/7): `--allow-private-issuers`, for issuers inside your network.
   * @default false
   */
  allowPrivateIssuers?: boolean | undefined;
  /**
   * Whether webhooks may target private network addresses (10/8, 172.16/12, 192.168/16…):
   * `--allow-private-webhooks`. Loopback is always allowed, link-local never.
   * @default false
   */
  allowPrivateWebhooks?: boolean | undefined;
  /**
   * The waits between a webhook delivery's tries, in milliseconds; as many tries as waits, plus
   * one.
   * @default 1, 4, 10, 15 and 30 minutes: 6 tries over an hour
   */
  webhookRetryDelaysMs?: readonly number[] | undefined;
  /**
   * How often due webhook deliveries are looked for when no change wakes the worker.
   * @default 5000
   */
  webhookPollIntervalMs?: number | undefined;
  /** The time one delivery try may take. @default 10000 */
  webhookTimeoutMs?: number | undefined;
  /** The current time; for tests of expiry. @default () => new Date() */
  clock?: (() => Date) | undefined;
}

/**
 * What {@link openService} reports into when given metrics (the server's `ServerMetrics` is
 * one): the storage's writer queue, the database pool and the audit log's retention.
 */
export interface StorageMetrics extends AuditRetentionMetrics, ExchangeMetrics {
  /** The writer, counting what it has accepted and not committed yet. */
  meterWriter(writer: Writer): Writer;
  /** Where the database pool's counts are read from. */
  watchPool(stats: () => { total: number; idle: number; waiting: number }): void;
}

/** The settings of {@link openService} that are counts, with their defaults. */
type CountSetting = keyof typeof SERVICE_DEFAULTS & keyof OpenServiceOptions;

/** `options[key]`, else its default; `least` is the smallest value it may take (0 or 1). */
function count(options: OpenServiceOptions, key: CountSetting, least: 0 | 1): number {
  const value = options[key];
  if (value === undefined) return SERVICE_DEFAULTS[key];
  if (!Number.isSafeInteger(value) || value < least) {
    throw new StorageError(
      `${key} must be a whole number${least === 1 ? " of 1 or more" : ", 0 or more"}.`,
    );
  }
  return value;
}

async function connectAndMigrate(database: OpenDatabase): Promise<string[]> {
  try {
    return await migrateToLatest(database.db);
  } catch (error) {
    if (error instanceof StorageError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new StorageError(
      `Cannot use the database at ${database.location}: ${reason}. Check that it is running and that the URL, user and password are right.`,
      { cause: error },
    );
  }
}

/**
 * The id of a master key that some stored value (or webhook signing secret) needs but the ring
 * lacks, if any.
 */
async function missingKeyId(database: OpenDatabase, ring: KeyRing | undefined) {
  let q = database.db
    .selectFrom("secret_versions")
    .select("key_id")
    .where("key_id", "is not", null);
  if (ring !== undefined) q = q.where("key_id", "not in", ring.ids);
  const value = (await q.limit(1).executeTakeFirst())?.key_id ?? undefined;
  if (value !== undefined) return value;
  let signing = database.db.selectFrom("webhooks").select("key_id");
  if (ring !== undefined) signing = signing.where("key_id", "not in", ring.ids);
  return (await signing.limit(1).executeTakeFirst())?.key_id;
}

/**
 * Opens the secrets service: loads the master key, opens the database (SQLite in the data
 * folder, or PostgreSQL), runs pending migrations and checks that the master key is the one the
 * stored values were written with.
 *
 * @example
 * const service = await openService({ dataDir: "./.hush-data" });
 * const { token } = await service.createTenant("default");
 */
export async function openService(options: OpenServiceOptions): Promise<HushService> {
  const logger = options.logger;
  const maxValueBytes = count(options, "maxValueBytes", 1);
  const maxRequestValueBytes = count(options, "maxRequestValueBytes", 1);
  if (maxRequestValueBytes < maxValueBytes) {
    throw new StorageError(
      `maxRequestValueBytes (${maxRequestValueBytes}, --max-request-value-bytes) must be at least maxValueBytes (${maxValueBytes}, --max-value-bytes): a value that one request cannot read could never be read.`,
    );
  }
  const maxVersions = count(options, "maxVersions", 1);
  const maxVersionRecords = count(options, "maxVersionRecords", 1);
  if (maxVersionRecords < maxVersions) {
    throw new StorageError(
      `maxVersionRecords (${maxVersionRecords}) must be at least maxVersions (${maxVersions}): a version whose value is kept keeps its metadata too.`,
    );
  }
  const auditRetention = {
    maxAgeDays: count(options, "auditMaxAgeDays", 0),
    maxEventsPerTenant: count(options, "auditMaxEventsPerTenant", 0),
  };
  const auditPruneIntervalMs = count(options, "auditPruneIntervalMs", 1);
  const loaded = loadKeyRing({
    dataDir: options.dataDir,
    masterKey: options.masterKey,
    env: options.env ?? process.env,
  });

  const database = openDatabase({
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    logger,
    onWriterFailure: options.onStorageFailure,
  });
  try {
    const applied = await connectAndMigrate(database);
    if (applied.length > 0) logger?.info({ migrations: applied }, "database migrated");

    let ring = loaded.ring;
    let source: KeySource = loaded.source;
    const missing = await missingKeyId(database, ring);
    if (missing !== undefined) {
      throw new MasterKeyError(
        ring === undefined
          ? `There is no master key (no HUSH_MASTER_KEY, no HUSH_MASTER_KEYS and no ${loaded.path}), but the database holds values encrypted with master key ${missing}. Restore master.key from your backup, or set HUSH_MASTER_KEY to the key the data was written with.`
          : `The database holds values encrypted with master key ${missing}, but this server has ${ring.ids.join(", ")} (from ${source === "file" ? loaded.path : source === "env" ? "the environment" : "the masterKey option"}). Start it with the master key the data was written with.`,
      );
    }
    if (ring === undefined) {
      ring = createKeyFile(options.dataDir).ring;
      source = "file-created";
    }
    const sync = await syncReplicas({
      databaseUrl: database.dialect === "postgres" ? options.databaseUrl : undefined,
      ring,
      keyFile: loaded.path,
      logger,
    });
    const metrics = options.metrics;
    if (metrics && database.poolStats) metrics.watchPool(database.poolStats);
    logger?.info(
      {
        backend: database.dialect,
        location: database.location,
        keySource: source,
        keyId: ring.current.id,
      },
      "storage opened",
    );

    return new DomainService({
      db: database.db,
      read: database.read,
      dialect: database.dialect,
      writer: metrics ? metrics.meterWriter(openWriter(database)) : openWriter(database),
      keyRing: ring,
      maxValueBytes,
      maxRequestValueBytes,
      maxVersions,
      maxVersionRecords,
      tokenCacheTtlMs: options.tokenCacheTtlMs ?? SERVICE_DEFAULTS.tokenCacheTtlMs,
      changes: sync.feed,
      auditRetention,
      auditPruneIntervalMs,
      auditMetrics: metrics,
      allowPrivateIssuers: options.allowPrivateIssuers === true,
      exchangeMetrics: metrics,
      webhooks: {
        policy: {
          allowPrivate: options.allowPrivateWebhooks === true,
          privateFlag: "--allow-private-webhooks",
        },
        retryDelaysMs: options.webhookRetryDelaysMs ?? DELIVERY_DEFAULTS.retryDelaysMs,
        timeoutMs: options.webhookTimeoutMs ?? DELIVERY_DEFAULTS.timeoutMs,
        disableAfterMs: DELIVERY_DEFAULTS.disableAfterMs,
        pollIntervalMs: options.webhookPollIntervalMs ?? DELIVERY_DEFAULTS.pollIntervalMs,
        concurrency: DELIVERY_DEFAULTS.concurrency,
      },
      clock: options.clock ?? (() => new Date()),
      logger,
      destroy: async () => {
        await sync.stop();
        await database.destroy();
      },
    });
  } catch (error) {
    await database.destroy().catch(() => {});
    throw error;
  }
}
