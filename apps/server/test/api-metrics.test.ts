import { afterEach, beforeEach, expect, it } from "vitest";
import { serveMetrics } from "../src/metrics/metrics-route.js";
import { ServerMetrics } from "../src/metrics/server-metrics.js";
import { type ApiFixture, openApi } from "./api-support.js";
import { describeBackends } from "./support/backends.js";

const VALUE = "CANARY-metrics-value";

describeBackends("GET /metrics", (backend) => {
  let api: ApiFixture;
  let metrics: ServerMetrics;
  let served: Awaited<ReturnType<typeof serveMetrics>>;

  beforeEach(async () => {
    metrics = new ServerMetrics();
    api = await openApi(backend, { service: { metrics }, app: { metrics } });
    served = await serveMetrics(metrics, "127.0.0.1", 0);
  });
  afterEach(async () => {
    await served.close();
    await api.close();
  });

  // On a port of their own, as `hush-server start --metrics-port` serves them.
  const scrape = async () => {
    const response = await fetch(`http://127.0.0.1:${served.port}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/plain");
    return response.text();
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

  it("are never served on the API's port", async () => {
    expect((await api.app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(404);
  });
});
