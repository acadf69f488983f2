import { Writable } from "node:stream";
import pino from "pino";
import { expect, it } from "vitest";
import type { AuditEventRecord, HushService } from "../src/index.js";
import { ServerMetrics } from "../src/metrics/server-metrics.js";
import { REFUSALS_PER_TOKEN_PER_MINUTE } from "../src/service/audit/policy.js";
import { describeBackends } from "./support/backends.js";
import { clockedServices } from "./support/clocked-service.js";
import { type SeededTenant, seedTenant } from "./support/seed.js";

const MINUTE_MS = 60_000;

describeBackends("audit eviction by count", (backend) => {
  // A clock the tests move forward instead of waiting.
  const { open, advance, now } = clockedServices(backend, {
    auditMaxAgeDays: 0,
    // Sweeps run when the test asks (pruneAuditEvents), not on a timer.
    auditPruneIntervalMs: 3.6e6,
  });

  const everything = (service: HushService, t: SeededTenant) =>
    service.auditEvents(t.callers.TENANT_ADMIN, { limit: 1000, offset: 0 });
  const summary = (events: AuditEventRecord[]) =>
    events.map((e) => `${e.actor} ${e.action} ${e.outcome} ${e.secretName ?? "-"}`);

  it("keeps a RUNNER's read of X however often it re-reads Y, and others' events too", async () => {
    const service = await open({ auditMaxEventsPerTenant: 50 });
    const t = await seedTenant(service);
    const { TENANT_ADMIN: admin, RUNNER: runner } = t.callers;
    await service.setSecret(admin, "X", "x");
    await service.setSecret(admin, "Y", "y");
    await service.secretValue(admin, "X");
    await service.createApiToken(admin, { name: "deploy", role: RUNNER_ROLE });
    advance(MINUTE_MS);
    await service.secretValue(runner, "X");

    // 10,000 reads of Y, a hundred a minute for a hundred minutes: twice the limit in minutes.
    for (let minute = 0; minute < 100; minute++) {
      advance(MINUTE_MS);
      await Promise.all(Array.from({ length: 100 }, () => service.secretValue(runner, "Y")));
    }
    await service.pruneAuditEvents();

    const events = await everything(service, t);
    const kept = summary(events);
    expect(kept).toContain("runner READ_SECRET_VALUE SUCCESS X");
    expect(kept).toContain("admin SET_SECRET SUCCESS X");
    expect(kept).toContain("admin SET_SECRET SUCCESS Y");
    expect(kept).toContain("admin READ_SECRET_VALUE SUCCESS X");
    expect(kept).toContain("admin CREATE_API_TOKEN SUCCESS -");
    expect(events.length).toBeLessThanOrEqual(50);
    // The newest reads of Y are still there, each standing for the hundred reads of its minute.
    const ys = events.filter((e) => e.actor === "runner" && e.secretName === "Y");
    expect(ys.length).toBeGreaterThan(0);
    for (const y of ys) expect(y.count).toBe(100);
    expect(ys[0]?.lastAt.getTime()).toBe(now());
  }, 60_000);

  it("records a token's refusals one by one up to its limit a minute, then counts them on one", async () => {
    const service = await open({ auditMaxEventsPerTenant: 0 });
    const t = await seedTenant(service);
    const reader = t.callers.READ_ONLY_USER;
    const refuse = (names: string[]) =>
      Promise.all(names.map((name) => service.secretValue(reader, name).catch(() => {})));
    await refuse(Array.from({ length: 100 }, (_, i) => `GUESS_${i}`));
    const refusals = async () =>
      (await everything(service, t)).filter((e) => e.actor === "read_only_user");
    const first = await refusals();
    expect(first.filter((e) => !e.suppressed)).toHaveLength(REFUSALS_PER_TOKEN_PER_MINUTE);
    const suppressed = first.filter((e) => e.suppressed);
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]).toMatchObject({
      action: "READ_SECRET_VALUE",
      outcome: "DENIED",
      secretName: null,
      secretNames: null,
      count: 100 - REFUSALS_PER_TOKEN_PER_MINUTE,
    });
    // Another token's refusals have a limit of their own; the next minute starts afresh.
    await service.secretValue(t.callers.USER, "GUESS_0").catch(() => {});
    advance(MINUTE_MS);
    await refuse(["GUESS_100"]);
    const later = await refusals();
    expect(later.filter((e) => !e.suppressed)).toHaveLength(REFUSALS_PER_TOKEN_PER_MINUTE + 1);
    expect(later[0]?.secretName).toBe("GUESS_100");
    const user = (await everything(service, t)).filter((e) => e.actor === "user");
    expect(user.map((e) => [e.secretName, e.suppressed])).toEqual([["GUESS_0", false]]);
  });

  it("warns in the log and in the metrics before it deletes any event by count", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino(
      { level: "info" },
      new Writable({
        write(chunk, _encoding, done) {
          for (const line of String(chunk).split("\n").filter(Boolean)) {
            lines.push(JSON.parse(line));
          }
          done();
        },
      }),
    );
    const metrics = new ServerMetrics();
    const service = await open({ auditMaxEventsPerTenant: 100, logger, metrics });
    const t = await seedTenant(service);
    const sample = async (series: string) => {
      const line = (await metrics.scrape()).split("\n").find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    const count = async () => (await everything(service, t)).length;

    // Up to 79 events: quiet.
    while ((await count()) < 79) await service.setSecret(t.callers.USER, "ROTATED", "v");
    expect(await service.pruneAuditEvents()).toBe(0);
    expect(lines.filter((l) => l.level === 40)).toEqual([]);
    expect(await sample("hush_audit_fill_ratio")).toBeCloseTo(0.79);

    // 80 of 100: a warning and the metric, nothing deleted.
    await service.setSecret(t.callers.USER, "ROTATED", "v");
    expect(await service.pruneAuditEvents()).toBe(0);
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ tenant: "acme", events: 80, limit: 100 });
    expect(String(warnings[0]?.msg)).toContain("--audit-max-events");
    expect(await sample("hush_audit_fill_ratio")).toBeCloseTo(0.8);
    expect(await sample('hush_audit_events_deleted_total{reason="count"}')).toBe(0);
    expect(await count()).toBe(80);

    // Past the limit: warned again, then deleted, and counted.
    while ((await count()) < 105) await service.setSecret(t.callers.USER, "ROTATED", "v");
    const before = lines.length;
    expect(await service.pruneAuditEvents()).toBe(5);
    const after = lines.slice(before);
    const warned = after.findIndex((l) => l.level === 40);
    const deleted = after.findIndex((l) => l.deleted === 5);
    expect(warned).toBeGreaterThanOrEqual(0);
    expect(deleted).toBeGreaterThan(warned);
    expect(await sample('hush_audit_events_deleted_total{reason="count"}')).toBe(5);
    expect(await count()).toBe(100);
  });
});

const RUNNER_ROLE = "RUNNER" as const;
