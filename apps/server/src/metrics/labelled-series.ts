import type { Registry } from "prom-client";

/** One series' figures: how many were recorded, their sum, and how many fell in each bucket. */
interface Figures {
  readonly labels: Readonly<Record<string, string>>;
  count: number;
  sum: number;
  /** Not cumulative: `inBucket[i]` counts the values in (bounds[i-1], bounds[i]]. */
  readonly inBucket: number[];
}

/** One series of a {@link LabelledSeries}: recording a value costs a few additions. */
export interface Series {
  record(value: number): void;
}

// What prom-client's registry reads of a metric when it is scraped.
interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}
interface ScrapedMetric {
  name: string;
  help: string;
  type: "counter" | "histogram";
  aggregator: "sum";
  get(): Promise<{
    name: string;
    help: string;
    type: string;
    aggregator: "sum";
    values: MetricValue[];
  }>;
  reset(): void;
}

/**
 * Counts and a histogram over a fixed set of label values, kept in plain numbers: recording
 * costs a few additions, where prom-client's bound series hash their labels on every call.
 * Registered as two metrics that prom-client reads when it is scraped, with the same text as its
 * own `Counter` (`name` + `_total`… as given) and `Histogram` would write.
 */
export class LabelledSeries {
  readonly #bounds: readonly number[];
  readonly #figures: Figures[] = [];

  constructor(bounds: readonly number[]) {
    this.#bounds = bounds;
  }

  /** The series of one set of labels; made once, recorded into many times. */
  series(labels: Readonly<Record<string, string>>): Series {
    const figures: Figures = {
      labels,
      count: 0,
      sum: 0,
      inBucket: new Array<number>(this.#bounds.length).fill(0),
    };
    this.#figures.push(figures);
    const bounds = this.#bounds;
    return {
      record(value) {
        figures.count += 1;
        figures.sum += value;
        for (let i = 0; i < bounds.length; i++) {
          if (value <= bounds[i]!) {
            figures.inBucket[i]! += 1;
            return;
          }
        }
      },
    };
  }

  /** Registers the counts as a counter named `name`. */
  registerCounter(registry: Registry, name: string, help: string): void {
    this.#register(registry, name, help, "counter", () =>
      this.#recorded().map((f) => ({ labels: { ...f.labels }, value: f.count })),
    );
  }

  /** Registers the values as a histogram named `name` (`_bucket`, `_sum`, `_count`). */
  registerHistogram(registry: Registry, name: string, help: string): void {
    this.#register(registry, name, help, "histogram", () =>
      this.#recorded().flatMap((f) => {
        let cumulative = 0;
        const buckets = this.#bounds.map((bound, i) => {
          cumulative += f.inBucket[i]!;
          return {
            labels: { le: bound, ...f.labels },
            value: cumulative,
            metricName: `${name}_bucket`,
          };
        });
        return [
          ...buckets,
          { labels: { le: "+Inf", ...f.labels }, value: f.count, metricName: `${name}_bucket` },
          { labels: { ...f.labels }, value: f.sum, metricName: `${name}_sum` },
          { labels: { ...f.labels }, value: f.count, metricName: `${name}_count` },
        ];
      }),
    );
  }

  // As prom-client: a series appears once something was recorded into it.
  #recorded(): Figures[] {
    return this.#figures.filter((f) => f.count > 0);
  }

  #register(
    registry: Registry,
    name: string,
    help: string,
    type: ScrapedMetric["type"],
    values: () => MetricValue[],
  ): void {
    const metric: ScrapedMetric = {
      name,
      help,
      type,
      aggregator: "sum",
      get: async () => ({ name, help, type, aggregator: "sum", values: values() }),
      reset: () => {
        for (const f of this.#figures) {
          f.count = 0;
          f.sum = 0;
          f.inBucket.fill(0);
        }
      },
    };
    registry.registerMetric(metric as unknown as Parameters<Registry["registerMetric"]>[0]);
  }
}
