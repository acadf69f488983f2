import { Counter, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { LabelledSeries } from "./labelled-series.js";

const BOUNDS = [0.001, 0.01, 0.1, 1];
const RECORDED: Array<[string, string, number]> = [
  ["secretValue", "ok", 0.0004],
  ["secretValue", "ok", 0.001],
  ["secretValue", "ok", 0.05],
  ["secretValue", "error", 3],
  ["setSecret", "ok", 0.2],
];

describe("LabelledSeries", () => {
  it("is scraped as the same text as prom-client's Counter and Histogram", async () => {
    const theirs = new Registry();
    const counter = new Counter({
      name: "ops_total",
      help: "Operations.",
      labelNames: ["operation", "outcome"],
      registers: [theirs],
    });
    const histogram = new Histogram({
      name: "ops_seconds",
      help: "Time.",
      labelNames: ["operation", "outcome"],
      buckets: BOUNDS,
      registers: [theirs],
    });
    const ours = new Registry();
    const series = new LabelledSeries(BOUNDS);
    series.registerCounter(ours, "ops_total", "Operations.");
    series.registerHistogram(ours, "ops_seconds", "Time.");
    const bound = new Map<string, ReturnType<LabelledSeries["series"]>>();
    for (const operation of ["secretValue", "setSecret", "secretNames"]) {
      for (const outcome of ["ok", "error"]) {
        bound.set(`${operation} ${outcome}`, series.series({ operation, outcome }));
      }
    }
    for (const [operation, outcome, seconds] of RECORDED) {
      counter.labels(operation, outcome).inc();
      histogram.labels(operation, outcome).observe(seconds);
      bound.get(`${operation} ${outcome}`)!.record(seconds);
    }
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    // Series nothing was recorded into are not written, as with prom-client.
    expect(text).not.toContain("secretNames");
    expect(text).toContain('ops_seconds_bucket{le="0.001",operation="secretValue",outcome="ok"} 2');

    ours.resetMetrics();
    theirs.resetMetrics();
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });
});
