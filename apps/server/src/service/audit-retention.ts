import type { Logger } from "pino";
import type { ServiceContext } from "./service-context.js";

const DAY_MS = 86_400_000;

/** How long audit events are kept. A limit of 0 keeps events without that limit. */
export interface AuditRetention {
  /** Events older than this many days are deleted. */
  maxAgeDays: number;
  /** Past this many events in a tenant, the oldest are deleted. */
  maxEventsPerTenant: number;
}

/**
 * Deletes audit events past the retention in the background: a timer starts a sweep, which
 * deletes in small batches, each its own write, so requests interleave with a long sweep.
 */
export class AuditPruner {
  readonly #context: ServiceContext;
  readonly #retention: AuditRetention;
  readonly #intervalMs: number;
  readonly #batchSize: number;
  readonly #logger: Logger | undefined;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<void> | undefined;
  #stopped = false;

  constructor(
    context: ServiceContext,
    options: {
      retention: AuditRetention;
      intervalMs: number;
      batchSize?: number;
      logger: Logger | undefined;
    },
  ) {
    this.#context = context;
    this.#retention = options.retention;
    this.#intervalMs = options.intervalMs;
    this.#batchSize = options.batchSize ?? 1000;
    this.#logger = options.logger;
  }

  /** Starts sweeping every interval, first at once; does nothing when nothing is limited. */
  start(): void {
    const { maxAgeDays, maxEventsPerTenant } = this.#retention;
    if (this.#stopped || this.#timer !== undefined) return;
    if (maxAgeDays === 0 && maxEventsPerTenant === 0) return;
    this.#timer = setInterval(() => this.#sweepInBackground(), this.#intervalMs);
    // The timer never keeps the process alive on its own.
    this.#timer.unref();
    this.#sweepInBackground();
  }

  /** Stops the timer and waits for a running sweep, which ends after its current batch. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#sweeping;
  }

  #sweepInBackground(): void {
    // A sweep still running when the timer fires again is left to finish.
    if (this.#sweeping !== undefined || this.#stopped) return;
    this.#sweeping = this.sweep()
      .then((deleted) => {
        if (deleted > 0) this.#logger?.info({ deleted }, "old audit events deleted");
      })
      .catch((error: unknown) => {
        if (this.#stopped) return;
        this.#logger?.warn({ err: error }, "deleting old audit events failed; retrying later");
      })
      .finally(() => {
        this.#sweeping = undefined;
      });
  }

  /** Deletes every event past the retention now; answers how many. */
  async sweep(): Promise<number> {
    const { maxAgeDays, maxEventsPerTenant } = this.#retention;
    const tenants = await this.#context.db.selectFrom("tenants").select("id").execute();
    let deleted = 0;
    for (const { id: tenantId } of tenants) {
      if (maxAgeDays > 0) {
        const cutoff = new Date(this.#context.clock().getTime() - maxAgeDays * DAY_MS);
        deleted += await this.#deleteUpTo(tenantId, { at: cutoff.toISOString(), id: undefined });
      }
      if (maxEventsPerTenant > 0) {
        const newestDropped = await this.#context.db
          .selectFrom("audit_events")
          .select(["at", "id"])
          .where("tenant_id", "=", tenantId)
          .orderBy("at", "desc")
          .orderBy("id", "desc")
          .limit(1)
          .offset(maxEventsPerTenant)
          .executeTakeFirst();
        if (newestDropped !== undefined) deleted += await this.#deleteUpTo(tenantId, newestDropped);
      }
    }
    return deleted;
  }

  /**
   * Deletes a tenant's events older than `at` (with `id`: up to and including that event), in
   * batches; stops early when the pruner is stopped.
   */
  async #deleteUpTo(tenantId: string, last: { at: string; id: string | undefined }) {
    let deleted = 0;
    while (!this.#stopped) {
      const batch = await this.#context.writer.run(async (db) => {
        const result = await db
          .deleteFrom("audit_events")
          .where("id", "in", (eb) =>
            eb
              .selectFrom("audit_events")
              .select("id")
              .where("tenant_id", "=", tenantId)
              .where((w) =>
                last.id === undefined
                  ? w("at", "<", last.at)
                  : w.or([
                      w("at", "<", last.at),
                      w.and([w("at", "=", last.at), w("id", "<=", last.id)]),
                    ]),
              )
              .orderBy("at")
              .limit(this.#batchSize),
          )
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      });
      deleted += batch;
      if (batch < this.#batchSize) break;
    }
    return deleted;
  }
}
