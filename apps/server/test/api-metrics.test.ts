import { afterEach, beforeEach, expect, it } from "vitest";
import { ServerMetrics } from "../src/metrics/server-metrics.js";
import { type ApiFixture, openApi } from "./api-support.js";
import { describeBackends } from "./support/backends.js";

const VALUE = "CANARY-metrics-value";

describeBackends("GET /metrics", (backend) => {
  let api: ApiFixture;
  let metrics: ServerMetrics;

  beforeEach(async () => {
    metrics = new ServerMetrics();
    api = await openApi(backend, { service: { metrics }, app: { metrics } });
  });
  afterEach(async () => {
    await api.close();
  });

  const scrape = async () => {
    const response = await api.app.inject({ method: "GET", url: "/metrics" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toContain("text/plain");
    return response.body;
  };
  const sample = (text: string, series: string) => {
    const line = text.split("\n").find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it("counts operations by name and outcome, errors by code, and never shows what was sent", async () => {
    const { RUNNER, USER } = api.acme.tokens;
    const set = `mutation($v: JSON!) { setSecret(input: { name: "METRICS_NAME", value: $v }) { success } }`;
    await api.gql(set, { token: USER, variables: { v: VALUE } });
    for (let i = 0; i < 3; i++) {
      await api.gql(`{ secretValue(name: "METRICS_NAME") }`, { token: RUNNER });
    }
    await api.gql(`{ secretValue(name: "MISSING_NAME") }`, { token: RUNNER });
    await api.gql(`{ secretValue(name: "METRICS_NAME") }`, { token: USER });
    await api.gql("{ secretNames }", {
      token: "hush_CANARYnotAtokenCANARYnotAtokenCANARYnotAtoken1",
    });

    const text = await scrape();
    expect(sample(text, 'hush_operations_total{operation="secretValue",outcome="ok"}')).toBe(3);
    expect(sample(text, 'hush_operations_total{operation="secretValue",outcome="error"}')).toBe(2);
    expect(sample(text, 'hush_operations_total{operation="setSecret",outcome="ok"}')).toBe(1);
    expect(sample(text, 'hush_operations_total{operation="authenticate",outcome="rejected"}')).toBe(
      1,
    );
    expect(sample(text, 'hush_errors_total{operation="secretValue",code="NOT_FOUND"}')).toBe(1);
    expect(sample(text, 'hush_errors_total{operation="secretValue",code="FORBIDDEN"}')).toBe(1);
    expect(
      sample(text, 'hush_operation_duration_seconds_count{operation="secretValue",outcome="ok"}'),
    ).toBe(3);
    expect(sample(text, "hush_writer_queue_depth")).toBe(0);
    expect(sample(text, "hush_audit_backlog")).toBe(0);
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
    if (backend.name === "postgres") {
      expect(sample(text, 'hush_db_pool_connections{state="total"}')).toBeGreaterThan(0);
    }
    for (const leaked of [VALUE, "METRICS_NAME", "MISSING_NAME", "CANARY", RUNNER, USER, "acme"]) {
      expect(text).not.toContain(leaked);
    }
  });

  it("can be left off the API's port", async () => {
    const app = await (await import("../src/http/app.js")).buildApp({
      service: api.service,
      logger: false,
      metrics,
      metricsRoute: false,
    });
    try {
      expect((await app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});
