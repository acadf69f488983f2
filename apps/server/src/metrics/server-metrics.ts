import { isHushError } from "@hush/errors";
import {
  type Counter,
  Counter as CounterMetric,
  collectDefaultMetrics,
  Gauge,
  Registry,
} from "prom-client";
import { API_METHODS, type ApiMethod } from "../service/api-methods.js";
import type { ExchangeOutcome } from "../service/identity-exchange.js";
import type { StorageMetrics } from "../service/open-service.js";
import type { Writer } from "../storage/writer.js";
import { LabelledSeries, type Series } from "./labelled-series.js";
import { MeteredWriter } from "./metered-writer.js";

/**
 * The API's methods that are not measured as an operation of their own name: weighing a
 * request is part of its value reads, `ready` and `close` are the server's own, and the values
 * read as stored JSON are a `secretValues`. Every other method is measured under its name.
 */
const EXCEPTIONS = {
  admitValueReads: "not measured",
  secretValuesJson: "secretValues",
  ready: "not measured",
  close: "not measured",
} as const satisfies Partial<Record<ApiMethod, "not measured" | ApiMethod>>;

/** An operation measured: a method of the API (labels never hold input). */
export type Operation = Exclude<ApiMethod, keyof typeof EXCEPTIONS>;

/** The operations measured, in the order the service declares them. */
export const OPERATIONS = API_METHODS.filter(
  (method): method is Operation => !Object.hasOwn(EXCEPTIONS, method),
);

/** The operation a call of `method` is measured as; undefined when it is not measured. */
export function measuredAs(method: ApiMethod): Operation | undefined {
  if (!Object.hasOwn(EXCEPTIONS, method)) return method as Operation;
  const measured: string = EXCEPTIONS[method as keyof typeof EXCEPTIONS];
  return measured === "not measured" ? undefined : (measured as Operation);
}

/** One operation's pre-bound series, so that a call costs a counter add and a histogram observe. */
export interface OperationMetrics {
  ok(startedAt: number): void;
  /** `authenticate` only: a token that is unknown, expired or revoked. */
  rejected(startedAt: number): void;
  failed(startedAt: number, error: unknown): void;
}

/** Connection counts of a database pool (PostgreSQL). */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

// Seconds; values reads take well under a millisecond, writes wait for a disk flush.
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The server's Prometheus metrics, in a registry of their own: operations by name and outcome
 * (a counter and a latency histogram), errors by code, the writer's queue, the audit backlog,
 * the database pool, and Node's process metrics. Label values are operation names, outcomes and
 * error codes only — never a name, value or token a caller sent.
 */
export class ServerMetrics implements StorageMetrics {
  readonly registry = new Registry();
  readonly #errors: Counter<"operation" | "code">;
  readonly #rateLimited: Counter<"limit">;
  readonly #auditFill: Gauge;
  readonly #auditDeleted: Counter<"reason">;
  readonly #exchanges: Counter<"outcome">;
  readonly #operations = new Map<Operation, OperationMetrics>();
  #writer: (() => { jobs: number; statements: number }) | undefined;
  #pool: (() => PoolStats) | undefined;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const registers = [this.registry];
    // Recorded on every call: plain numbers, read by prom-client only when scraped.
    const operations = new LabelledSeries(BUCKETS);
    operations.registerCounter(
      this.registry,
      "hush_operations_total",
      "API operations handled, by operation and outcome (ok, rejected, error).",
    );
    operations.registerHistogram(
      this.registry,
      "hush_operation_duration_seconds",
      "Time to handle an API operation, by operation and outcome.",
    );
    this.#errors = new CounterMetric({
      name: "hush_errors_total",
      help: "API operations that failed, by operation and error code (INTERNAL when unexpected).",
      labelNames: ["operation", "code"] as const,
      registers,
    });
    this.#rateLimited = new CounterMetric({
      name: "hush_rate_limited_total",
      help: "Requests refused with 429, by the limit they hit (token, address, auth_failures).",
      labelNames: ["limit"] as const,
      registers,
    });
    this.#auditFill = new Gauge({
      name: "hush_audit_fill_ratio",
      help: "The largest share of --audit-max-events a tenant's audit log held at the last sweep (warned from 0.8).",
      registers,
    });
    this.#auditDeleted = new CounterMetric({
      name: "hush_audit_events_deleted_total",
      help: "Audit events deleted by the retention sweeps, by reason (age, count).",
      labelNames: ["reason"] as const,
      registers,
    });
    for (const reason of ["age", "count"] as const) this.#auditDeleted.labels(reason).inc(0);
    this.#exchanges = new CounterMetric({
      name: "hush_identity_exchanges_total",
      help: "Identity token exchanges, by outcome (issued, refused, ambiguous, rate_limited, issuer_error).",
      labelNames: ["outcome"] as const,
      registers,
    });
    for (const operation of OPERATIONS) {
      const series = (outcome: string) => operations.series({ operation, outcome });
      const ok = series("ok");
      const rejected = series("rejected");
      const error = series("error");
      const record = (s: Series, startedAt: number) => {
        s.record((performance.now() - startedAt) / 1000);
      };
      this.#operations.set(operation, {
        ok: (startedAt) => record(ok, startedAt),
        rejected: (startedAt) => record(rejected, startedAt),
        failed: (startedAt, caught) => {
          record(error, startedAt);
          this.#errors.labels(operation, isHushError(caught) ? caught.code : "INTERNAL").inc();
        },
      });
    }
    const metrics = this;
    new Gauge({
      name: "hush_writer_queue_depth",
      help: "Write transactions accepted and not committed yet.",
      registers,
      collect() {
        this.set(metrics.#writer?.().jobs ?? 0);
      },
    });
    new Gauge({
      name: "hush_audit_backlog",
      help: "Batches of audit events (of value reads and refusals) accepted and not committed yet.",
      registers,
      collect() {
        this.set(metrics.#writer?.().statements ?? 0);
      },
    });
    new Gauge({
      name: "hush_db_pool_connections",
      help: "PostgreSQL pool connections: total, idle, and requests waiting for one.",
      labelNames: ["state"] as const,
      registers,
      collect() {
        const stats = metrics.#pool?.();
        if (stats === undefined) return;
        this.set({ state: "total" }, stats.total);
        this.set({ state: "idle" }, stats.idle);
        this.set({ state: "waiting" }, stats.waiting);
      },
    });
  }

  /** The series of one operation. */
  operation(name: Operation): OperationMetrics {
    return this.#operations.get(name)!;
  }

  /** Counts a request refused by a rate limit. */
  rateLimited(limit: "token" | "address" | "auth_failures"): void {
    this.#rateLimited.labels(limit).inc();
  }

  /** The largest share of the event limit a tenant's audit log held at the last sweep. */
  auditFill(ratio: number): void {
    this.#auditFill.set(ratio);
  }

  /** Counts audit events deleted by a sweep. */
  auditDeleted(reason: "age" | "count", events: number): void {
    this.#auditDeleted.labels(reason).inc(events);
  }

  /** Counts an identity token exchange by how it ended. */
  identityExchange(outcome: ExchangeOutcome): void {
    this.#exchanges.labels(outcome).inc();
  }

  /** The storage's writer, counting its queue and audit backlog for {@link watchWriter}. */
  meterWriter(writer: Writer): Writer {
    return new MeteredWriter(writer, this);
  }

  /** Where the writer queue and the audit backlog are read from when scraped. */
  watchWriter(depth: () => { jobs: number; statements: number }): void {
    this.#writer = depth;
  }

  /** Where the database pool's counts are read from when scraped. */
  watchPool(stats: () => PoolStats): void {
    this.#pool = stats;
  }

  /** The metrics in Prometheus text format. */
  scrape(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
