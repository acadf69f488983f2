import { type Kysely, type SelectQueryBuilder, sql } from "kysely";
import type { Logger } from "pino";
import type { AuditEventsTable, Database } from "../../storage/schema.js";
import type { ServiceContext } from "../service-context.js";
import { fairShares, REFUSAL_SHARE, WARN_SHARE } from "./policy.js";

const DAY_MS = 86_400_000;

/** How long audit events are kept. A limit of 0 keeps events without that limit. */
export interface AuditRetention {
  /** Events older than this many days are deleted. */
  maxAgeDays: number;
  /** Past this many events in a tenant, events are deleted (see {@link AuditPruner}). */
  maxEventsPerTenant: number;
}

/** Where the sweeps report how full the audit log is and what they deleted. */
export interface AuditRetentionMetrics {
  /** The largest share of the event limit any tenant held at the end of a sweep's count. */
  auditFill(ratio: number): void;
  auditDeleted(reason: "age" | "count", events: number): void;
}

/** A query of the ids of some events, oldest first. */
type IdsQuery = SelectQueryBuilder<Database & { e: AuditEventsTable }, "e", { id: string }>;

/** One token's events (null: the `hush-server` command's), refusals apart from the rest. */
export interface ActorCount {
  actor: string | null;
  refusals: number;
  others: number;
}

/** How many of one actor's events to delete: refusals first, then the rest. */
export interface Cut {
  refusals: number;
  others: number;
}

/**
 * Deletes audit events past the retention in the background: a timer starts a sweep, which
 * deletes in small batches, each its own write, so requests interleave with a long sweep.
 *
 * By age: every event older than the limit. By count, per tenant, no caller can evict events it
 * did not cause: refusals and misses are kept within their own share of the limit, and the
 * events to delete are taken from the tokens that hold the most (water-filling, `fairShares`),
 * each losing its refusals first, then its repeated reads (an older read of a secret version it
 * read again later), then its oldest events. Each sweep warns (log line and metric) once a
 * tenant holds {@link WARN_SHARE} of its limit, before it deletes anything by count.
 */
export class AuditPruner {
  readonly #context: ServiceContext;
  readonly #retention: AuditRetention;
  readonly #intervalMs: number;
  readonly #batchSize: number;
  readonly #logger: Logger | undefined;
  readonly #metrics: AuditRetentionMetrics | undefined;
  #timer: NodeJS.Timeout | undefined;
  // The sweep running now, if any; sweeps never overlap.
  #sweeping: Promise<number> | undefined;
  #stopped = false;
  readonly #alsoPrune: (() => Promise<number>) | undefined;

  constructor(
    context: ServiceContext,
    options: {
      retention: AuditRetention;
      intervalMs: number;
      batchSize?: number;
      logger: Logger | undefined;
      metrics?: AuditRetentionMetrics | undefined;
      /** Other old rows each sweep deletes first, whatever the audit limits (change events). */
      alsoPrune?: (() => Promise<number>) | undefined;
    },
  ) {
    this.#alsoPrune = options.alsoPrune;
    this.#context = context;
    this.#retention = options.retention;
    this.#intervalMs = options.intervalMs;
    this.#batchSize = options.batchSize ?? 1000;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
  }

  /**
   * Starts sweeping every interval, first at once. It runs even when audit events are kept
   * without limit: the sweep also deletes tokens issued by identity exchanges a day after they
   * expired, which CI runs would otherwise pile up.
   */
  start(): void {
    if (this.#stopped || this.#timer !== undefined) return;
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
    await this.#sweeping?.catch(() => {});
  }

  #sweepInBackground(): void {
    // A sweep still running when the timer fires again is left to finish.
    if (this.#sweeping !== undefined || this.#stopped) return;
    this.sweep().catch((error: unknown) => {
      if (this.#stopped) return;
      this.#logger?.warn({ err: error }, "deleting old audit events failed; retrying later");
    });
  }

  /** Deletes every event past the retention now (after a sweep already running); answers how many. */
  async sweep(): Promise<number> {
    while (this.#sweeping !== undefined) await this.#sweeping.catch(() => {});
    const running = this.#sweepOnce();
    this.#sweeping = running;
    try {
      return await running;
    } finally {
      if (this.#sweeping === running) this.#sweeping = undefined;
    }
  }

  async #sweepOnce(): Promise<number> {
    const { maxAgeDays, maxEventsPerTenant } = this.#retention;
    const pruned = (await this.#alsoPrune?.()) ?? 0;
    if (pruned > 0) this.#logger?.info({ deleted: pruned }, "old change events deleted");
    const tenants = await this.#context.db.selectFrom("tenants").select(["id", "name"]).execute();
    let deleted = 0;
    let fullest = 0;
    for (const tenant of tenants) {
      if (maxAgeDays > 0) {
        const cutoff = new Date(this.#context.clock().getTime() - maxAgeDays * DAY_MS);
        const old = await this.#deleteOlderThan(tenant.id, cutoff.toISOString());
        if (old > 0) {
          this.#logger?.info({ tenant: tenant.name, deleted: old }, "old audit events deleted");
          this.#metrics?.auditDeleted("age", old);
        }
        deleted += old;
      }
      if (maxEventsPerTenant > 0) {
        const { fill, evicted } = await this.#keepWithinLimit(tenant, maxEventsPerTenant, fullest);
        fullest = Math.max(fullest, fill);
        deleted += evicted;
      }
    }
    if (maxEventsPerTenant > 0) this.#metrics?.auditFill(fullest);
    await this.#deleteExpiredIssuedTokens();
    return deleted;
  }

  /**
   * Deletes the tokens identity exchanges issued that expired more than a day ago, in batches:
   * they can never work again, and their audit events keep their names (as the actor).
   */
  async #deleteExpiredIssuedTokens(): Promise<void> {
    const before = new Date(this.#context.clock().getTime() - DAY_MS).toISOString();
    let deleted = 0;
    while (!this.#stopped) {
      const batch = await this.#context.writer.run(async (db) => {
        const ids = db
          .selectFrom("api_tokens")
          .select("id")
          .where("trust_id", "is not", null)
          .where("expires_at", "<", before)
          .limit(this.#batchSize);
        const result = await db.deleteFrom("api_tokens").where("id", "in", ids).executeTakeFirst();
        return Number(result.numDeletedRows);
      });
      deleted += batch;
      if (batch < this.#batchSize) break;
    }
    if (deleted > 0)
      this.#logger?.info({ deleted }, "expired tokens of identity exchanges deleted");
  }

  /** Deletes a tenant's events older than `at`, in batches; stops early when stopped. */
  #deleteOlderThan(tenantId: string, at: string): Promise<number> {
    return this.#deleteInBatches(Number.POSITIVE_INFINITY, (db, limit) =>
      db
        .selectFrom("audit_events as e")
        .select("e.id")
        .where("e.tenant_id", "=", tenantId)
        .where("e.at", "<", at)
        .orderBy("e.at")
        .limit(limit),
    );
  }

  /**
   * Brings one tenant within its event limit; answers how full it was and what it deleted.
   * `fullest` is the largest fill of the tenants swept before it in this sweep.
   */
  async #keepWithinLimit(
    tenant: { id: string; name: string },
    limit: number,
    fullest: number,
  ): Promise<{ fill: number; evicted: number }> {
    const actors = await this.#countByActor(tenant.id);
    const total = actors.reduce((sum, a) => sum + a.refusals + a.others, 0);
    const fill = total / limit;
    const cuts = planCuts(actors, limit);
    if (fill >= WARN_SHARE || cuts.size > 0) {
      // Before anything is deleted by count, so that an operator hears of it first.
      this.#metrics?.auditFill(Math.max(fullest, fill));
      this.#logger?.warn(
        { tenant: tenant.name, events: total, limit },
        fill >= WARN_SHARE
          ? `The audit log of this tenant holds ${Math.floor(fill * 100)}% of --audit-max-events: past it, the oldest events of the tokens holding the most are deleted. Export the events you need (see the README's Audit retention), or raise --audit-max-events.`
          : "The refusals and misses in the audit log of this tenant are past their share (a tenth of --audit-max-events): the oldest of those of the tokens holding the most are deleted.",
      );
    }
    let evicted = 0;
    for (const [actor, cut] of cuts) {
      if (this.#stopped) break;
      evicted += await this.#deleteRefusals(tenant.id, actor, cut.refusals);
      evicted += await this.#deleteOthers(tenant.id, actor, cut.others);
    }
    if (evicted > 0) {
      this.#logger?.warn(
        { tenant: tenant.name, deleted: evicted, limit },
        "audit events deleted to stay within --audit-max-events",
      );
      this.#metrics?.auditDeleted("count", evicted);
    }
    return { fill, evicted };
  }

  async #countByActor(tenantId: string): Promise<ActorCount[]> {
    const rows = await this.#context.db
      .selectFrom("audit_events")
      .select(["actor_token_id", "refusal", (eb) => eb.fn.countAll().as("n")])
      .where("tenant_id", "=", tenantId)
      .groupBy(["actor_token_id", "refusal"])
      .execute();
    const byActor = new Map<string | null, ActorCount>();
    for (const row of rows) {
      const actor = row.actor_token_id;
      const counted = byActor.get(actor) ?? { actor, refusals: 0, others: 0 };
      if (row.refusal === 1) counted.refusals += Number(row.n);
      else counted.others += Number(row.n);
      byActor.set(actor, counted);
    }
    return [...byActor.values()];
  }

  /** Deletes `count` of an actor's oldest refusals and misses. */
  #deleteRefusals(tenantId: string, actor: string | null, count: number): Promise<number> {
    return this.#deleteInBatches(count, (db, limit) =>
      ofActor(db, tenantId, actor, 1).orderBy("e.at").orderBy("e.id").limit(limit),
    );
  }

  /** Deletes `count` of an actor's other events: repeated reads first, then the oldest. */
  async #deleteOthers(tenantId: string, actor: string | null, count: number): Promise<number> {
    if (count === 0) return 0;
    let deleted = 0;
    if (actor !== null) {
      deleted += await this.#deleteInBatches(count, (db, limit) =>
        ofActor(db, tenantId, actor, 0)
          .where(({ exists, selectFrom }) =>
            exists(
              // A newer event of the same actor, action, secret and version: this one repeats it.
              selectFrom("audit_events as newer")
                .select(sql.lit(1).as("one"))
                .where("newer.tenant_id", "=", tenantId)
                .whereRef("newer.secret_name", "=", "e.secret_name")
                .where("newer.actor_token_id", "=", actor)
                .whereRef("newer.action", "=", "e.action")
                .whereRef("newer.version", "=", "e.version")
                .where("newer.refusal", "=", 0)
                // The first, redundant term lets the index seek past older events.
                .whereRef("newer.at", ">=", "e.at")
                .where((w) =>
                  w.or([
                    w("newer.at", ">", w.ref("e.at")),
                    w.and([w("newer.at", "=", w.ref("e.at")), w("newer.id", ">", w.ref("e.id"))]),
                  ]),
                ),
            ),
          )
          .orderBy("e.at")
          .orderBy("e.id")
          .limit(limit),
      );
    }
    if (deleted < count) {
      deleted += await this.#deleteInBatches(count - deleted, (db, limit) =>
        ofActor(db, tenantId, actor, 0).orderBy("e.at").orderBy("e.id").limit(limit),
      );
    }
    return deleted;
  }

  /**
   * Deletes up to `count` events that `select` picks (its ids, oldest first, at most `limit`),
   * in batches, each its own write; stops early when the pruner is stopped or none are left.
   */
  async #deleteInBatches(
    count: number,
    select: (db: Kysely<Database>, limit: number) => IdsQuery,
  ): Promise<number> {
    let deleted = 0;
    while (!this.#stopped && deleted < count) {
      const limit = Math.min(this.#batchSize, count - deleted);
      const batch = await this.#context.writer.run(async (db) => {
        const result = await db
          .deleteFrom("audit_events")
          .where("id", "in", select(db, limit))
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      });
      deleted += batch;
      if (batch < limit) break;
    }
    return deleted;
  }
}

/** The ids of one actor's events of one class (1: refusals and misses; 0: the rest). */
function ofActor(
  db: Kysely<Database>,
  tenantId: string,
  actor: string | null,
  refusal: 0 | 1,
): IdsQuery {
  return db
    .selectFrom("audit_events as e")
    .select("e.id")
    .where("e.tenant_id", "=", tenantId)
    .where("e.actor_token_id", actor === null ? "is" : "=", actor)
    .where("e.refusal", "=", refusal);
}

/**
 * What to delete from each actor: refusals past their share of the limit, then everything past
 * the limit, each time from the actors holding the most; an actor's refusals go before its
 * other events.
 */
export function planCuts(actors: readonly ActorCount[], limit: number): Map<string | null, Cut> {
  const sum = (counts: Iterable<number>) => [...counts].reduce((a, b) => a + b, 0);
  const cuts = new Map<string | null, Cut>();
  const cutOf = (actor: string | null) => {
    const cut = cuts.get(actor) ?? { refusals: 0, others: 0 };
    cuts.set(actor, cut);
    return cut;
  };
  const refusals = new Map(actors.map((a) => [a.actor, a.refusals]));
  const refusalLimit = Math.floor(limit * REFUSAL_SHARE);
  for (const [actor, cut] of fairShares(refusals, sum(refusals.values()) - refusalLimit)) {
    cutOf(actor).refusals = cut;
    refusals.set(actor, refusals.get(actor)! - cut);
  }
  const left = new Map(actors.map((a) => [a.actor, refusals.get(a.actor)! + a.others]));
  for (const [actor, cut] of fairShares(left, sum(left.values()) - limit)) {
    const fromRefusals = Math.min(cut, refusals.get(actor)!);
    cutOf(actor).refusals += fromRefusals;
    cutOf(actor).others += cut - fromRefusals;
  }
  return cuts;
}
