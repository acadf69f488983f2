import { sql } from "kysely";
import type { Logger } from "pino";
import {
  OutboundError,
  type OutboundPolicy,
  outboundRequest,
} from "../../outbound/outbound-http.js";
import type { ServiceContext } from "../service-context.js";
import { changeColumns, toChangeRecord } from "./secret-changes.js";
import { webhookRequest } from "./webhook-request.js";
import { openSigningSecret } from "./webhooks.js";

/** How the worker sends deliveries. */
export interface DeliveryOptions {
  /** What the endpoints may resolve to (`--allow-private-webhooks`). */
  policy: OutboundPolicy;
  /** The waits between tries: as many tries as waits, plus one. */
  retryDelaysMs: readonly number[];
  /** For one try: connecting, sending, and reading the answer. */
  timeoutMs: number;
  /** An endpoint that failed every try for this long is disabled. */
  disableAfterMs: number;
  /** How often due deliveries are looked for when no change wakes the worker. */
  pollIntervalMs: number;
  /** The most deliveries sent at once by one process. */
  concurrency: number;
}

/** 6 tries within an hour: at once, then 1, 5, 15, 30 and 60 minutes after the first (these are the waits between them). */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1, 4, 10, 15, 30].map(
  (minutes) => minutes * 60_000,
);

export const DELIVERY_DEFAULTS = {
  retryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
  timeoutMs: 10_000,
  disableAfterMs: 24 * 3_600_000,
  pollIntervalMs: 5_000,
  concurrency: 8,
} as const;

// The most of an endpoint's answer that is read (it is not kept, only its status).
const MAX_ANSWER_BYTES = 64 * 1024;

/** A claimed delivery with what sending it needs. */
interface Claimed {
  id: string;
  attempts: number;
}

/**
 * Sends the queued webhook deliveries (`webhook_deliveries`, filled by the writes themselves),
 * one worker per process, apart from any request: a slow endpoint never delays a write. Due rows
 * are claimed with a lease (an UPDATE that only one replica's wins; PostgreSQL skips rows
 * another replica holds locked), so replicas never send one twice at once; a lease left by a
 * process that died expires and the row is sent again. Each try's outcome is written back: 2xx
 * is DELIVERED, anything else is tried again after the next wait, and FAILED after the last.
 * An endpoint with no success for `disableAfterMs` is disabled and its pending deliveries
 * FAILED.
 */
export class DeliveryWorker {
  readonly #context: ServiceContext;
  readonly #options: DeliveryOptions;
  readonly #logger: Logger | undefined;
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(context: ServiceContext, options: DeliveryOptions, logger: Logger | undefined) {
    this.#context = context;
    this.#options = options;
    this.#logger = logger;
  }

  start(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    this.#timer = setInterval(() => this.poke(), this.#options.pollIntervalMs);
    this.#timer.unref();
    this.poke();
  }

  /** Looks for due deliveries now (a change was committed). */
  poke(): void {
    if (this.#stopped) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#running = this.#drain()
      .catch((error: unknown) => {
        if (!this.#stopped) {
          this.#logger?.warn({ err: error }, "sending webhook deliveries failed; retrying later");
        }
      })
      .finally(() => {
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          this.poke();
        }
      });
  }

  /** Stops: sends in flight are cut short (their rows are tried again later). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#abort.abort();
    await this.#running;
  }

  async #drain(): Promise<void> {
    for (;;) {
      const claimed = await this.#claim();
      if (claimed.length === 0 || this.#stopped) return;
      await Promise.all(claimed.map((delivery) => this.#sendOrLog(delivery)));
      if (claimed.length < this.#options.concurrency) return;
    }
  }

  /** Leases up to `concurrency` due deliveries to this process. */
  async #claim(): Promise<Claimed[]> {
    const { db, backend, writer } = this.#context;
    const now = this.#context.clock();
    const iso = now.toISOString();
    // A read first: with nothing due (the usual case) no write transaction, no commit.
    const due = await db
      .selectFrom("webhook_deliveries")
      .select("id")
      .where("status", "=", "PENDING")
      .where("next_attempt_at", "<=", iso)
      .where((w) => w.or([w("lease_until", "is", null), w("lease_until", "<", iso)]))
      .limit(1)
      .executeTakeFirst();
    if (due === undefined) return [];
    const leaseUntil = new Date(now.getTime() + 2 * this.#options.timeoutMs + 5_000).toISOString();
    const rows = await writer.run((trx) =>
      trx
        .updateTable("webhook_deliveries")
        .set({ lease_until: leaseUntil })
        .where("id", "in", (eb) =>
          eb
            .selectFrom("webhook_deliveries")
            .select("id")
            .where("status", "=", "PENDING")
            .where("next_attempt_at", "<=", iso)
            .where((w) => w.or([w("lease_until", "is", null), w("lease_until", "<", iso)]))
            .orderBy("next_attempt_at")
            .orderBy("id")
            .limit(this.#options.concurrency)
            .$if(backend === "postgres", (q) => q.forUpdate().skipLocked()),
        )
        .where("status", "=", "PENDING")
        .where((w) => w.or([w("lease_until", "is", null), w("lease_until", "<", iso)]))
        .returning(["id", "attempts"])
        .execute(),
    );
    return rows.map((row) => ({ id: String(row.id), attempts: row.attempts }));
  }

  /**
   * Sends one delivery; an unexpected failure (e.g. a signing secret whose master key is gone) is
   * logged and left to the lease, so that the others of the batch still go.
   */
  async #sendOrLog(claimed: Claimed): Promise<void> {
    try {
      await this.#send(claimed);
    } catch (error) {
      if (this.#stopped) return;
      this.#logger?.warn(
        { err: { message: (error as Error).message }, delivery: claimed.id },
        "a webhook delivery could not be sent; it is tried again when its lease ends",
      );
    }
  }

  async #send(claimed: Claimed): Promise<void> {
    const row = await this.#context.db
      .selectFrom("webhook_deliveries as d")
      .innerJoin("webhooks as w", "w.id", "d.webhook_id")
      .innerJoin("change_events as e", "e.id", "d.change_event_id")
      .innerJoin("tenants as t", "t.id", "w.tenant_id")
      .select([
        "w.id as webhook_id",
        "w.tenant_id",
        "w.url",
        "w.disabled_at",
        "w.key_id",
        "w.wrapped_key",
        "w.iv",
        "w.ciphertext",
        "w.auth_tag",
        "t.name as tenant_name",
        ...changeColumns(this.#context.backend),
      ])
      .where("d.id", "=", claimed.id)
      .executeTakeFirst();
    if (row === undefined) return; // the webhook was deleted with its deliveries
    if (row.disabled_at !== null) {
      await this.#finish(claimed, row.webhook_id, this.#context.clock(), {
        status: "FAILED",
        outcome: "not sent: the webhook is disabled",
      });
      return;
    }
    const at = this.#context.clock();
    const request = webhookRequest(
      claimed.id,
      toChangeRecord(row.tenant_name, row),
      at,
      openSigningSecret(this.#context, { ...row, id: row.webhook_id }),
    );
    let outcome: string;
    let delivered = false;
    try {
      const answer = await outboundRequest(row.url, {
        method: "POST",
        headers: request.headers,
        body: request.body,
        timeoutMs: this.#options.timeoutMs,
        maxBytes: MAX_ANSWER_BYTES,
        policy: this.#options.policy,
        signal: this.#abort.signal,
      });
      outcome = `${answer.status} ${answer.statusText}`.trim();
      delivered = answer.status >= 200 && answer.status < 300;
    } catch (error) {
      if (this.#stopped) {
        // Cut short by a shutdown: not a try; the next start sends it again.
        await this.#release(claimed).catch(() => {});
        return;
      }
      outcome = describeFailure(error, this.#options.timeoutMs);
    }
    const tries = this.#options.retryDelaysMs.length + 1;
    const attempts = claimed.attempts + 1;
    const status = delivered ? "DELIVERED" : attempts >= tries ? "FAILED" : "PENDING";
    const retryInMs = this.#options.retryDelaysMs[attempts - 1] ?? 0;
    await this.#finish(claimed, row.webhook_id, at, { status, outcome, retryInMs });
  }

  /**
   * Writes the outcome of the try made `at` on the delivery and its webhook; disables a webhook
   * failing for too long.
   */
  async #finish(
    claimed: Claimed,
    webhookId: string,
    at: Date,
    result: { status: "DELIVERED" | "PENDING" | "FAILED"; outcome: string; retryInMs?: number },
  ): Promise<void> {
    const { status, outcome, retryInMs = 0 } = result;
    const now = this.#context.clock();
    const iso = at.toISOString();
    const disableBefore = new Date(now.getTime() - this.#options.disableAfterMs).toISOString();
    const disabled = await this.#context.writer.run(async (db) => {
      const delivered = status === "DELIVERED";
      await db
        .updateTable("webhooks")
        .set((eb) => ({
          last_outcome: outcome,
          // The first failure since the last success.
          failing_since: delivered ? null : eb.fn.coalesce("failing_since", eb.val(iso)),
        }))
        .where("id", "=", webhookId)
        .execute();
      // Failing without a success for too long: disabled, and what it still had to send failed.
      const stopped = delivered
        ? 0n
        : (
            await db
              .updateTable("webhooks")
              .set({ disabled_at: iso })
              .where("id", "=", webhookId)
              .where("disabled_at", "is", null)
              .where("failing_since", "<=", disableBefore)
              .executeTakeFirst()
          ).numUpdatedRows;
      const webhook = await db
        .selectFrom("webhooks")
        .select("disabled_at")
        .where("id", "=", webhookId)
        .executeTakeFirst();
      // A try that failed once its webhook is disabled is the last (another may have disabled it).
      const final = !delivered && webhook?.disabled_at != null ? "FAILED" : status;
      await db
        .updateTable("webhook_deliveries")
        .set({
          status: final,
          attempts: claimed.attempts + 1,
          last_attempt_at: iso,
          last_outcome: outcome,
          next_attempt_at:
            final === "PENDING" ? new Date(now.getTime() + retryInMs).toISOString() : null,
          lease_until: null,
        })
        .where("id", "=", claimed.id)
        .execute();
      if (stopped === 0n) return false;
      await db
        .updateTable("webhook_deliveries")
        .set({
          status: "FAILED",
          next_attempt_at: null,
          lease_until: null,
          last_outcome: sql<string>`coalesce(last_outcome, 'not sent: the webhook was disabled')`,
        })
        .where("webhook_id", "=", webhookId)
        .where("status", "=", "PENDING")
        .execute();
      return true;
    });
    if (disabled) {
      this.#logger?.warn(
        { webhook: webhookId, lastOutcome: outcome },
        "webhook disabled: its endpoint failed every delivery for a day; enableWebhook turns it back on",
      );
    }
  }

  async #release(claimed: Claimed): Promise<void> {
    await this.#context.writer.run((db) =>
      db
        .updateTable("webhook_deliveries")
        .set({ lease_until: null })
        .where("id", "=", claimed.id)
        .execute(),
    );
  }
}

/** A failed try in words, for the delivery log (never the request or its signature). */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof OutboundError) {
    switch (error.reason) {
      case "timeout":
        return `timed out after ${Math.round(timeoutMs / 100) / 10} s`;
      case "too-large":
        return `the answer was larger than ${MAX_ANSWER_BYTES / 1024} KiB`;
      case "refused-address":
        return `refused: ${error.message}`;
      case "network":
        return `network error: ${error.message}`;
    }
  }
  return "failed: unexpected error";
}
