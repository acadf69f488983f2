import { afterEach, beforeEach, expect, it } from "vitest";
import type { AuditEventRecord } from "../src/index.js";
import { type ApiFixture, codes, openApi } from "./api-support.js";
import { describeBackends } from "./support/backends.js";
import { rawSql } from "./support/raw-database.js";

// The attack as it was reported: a READ_ONLY_USER asks for the values of 1,000 made-up names
// in each of 20 aliases, three times, against a tenant that keeps at most 5,000 events. A
// request's cost now refuses that document whole before it runs (20,000 values; see
// api-request-cost.test.ts), so the flood here sends the same 60 calls one per request, each
// within the limit, to reach the role check and the audit log.
const ALIASES = 20;
const MADE_UP_NAMES = Array.from({ length: 1000 }, (_, i) => `MADE_UP_${i}`);
const AS_REPORTED = `query($n: [String!]) { ${Array.from(
  { length: ALIASES },
  (_, i) => `a${i}: secretValues(names: $n)`,
).join(" ")} }`;
const FLOOD = "query($n: [String!]) { secretValues(names: $n) }";
const REQUESTS = 3;

describeBackends("audit log under a flood of refusals", (backend) => {
  let api: ApiFixture;

  beforeEach(async () => {
    api = await openApi(backend, {
      service: { auditMaxEventsPerTenant: 5000, auditMaxAgeDays: 0, auditPruneIntervalMs: 3.6e6 },
    });
  });
  afterEach(async () => {
    await api.close();
  });

  const adminEvents = async (): Promise<AuditEventRecord[]> =>
    api.service.auditEvents(api.acme.callers.TENANT_ADMIN, { limit: 1000, offset: 0 });

  it("keeps the admin's events, and stores one bounded event per refused call", async () => {
    const admin = api.acme.tokens.TENANT_ADMIN;
    const set = await api.gql(
      'mutation { setSecret(input: {name: "DB_PASSWORD", value: "CANARY-flood-value"}) { success } }',
      { token: admin },
    );
    expect(codes(set)).toEqual([]);
    expect(codes(await api.gql('{ secretValue(name: "DB_PASSWORD") }', { token: admin }))).toEqual(
      [],
    );
    const created = await api.gql(
      'mutation { createApiToken(input: {name: "deploy", role: RUNNER}) { token } }',
      { token: admin },
    );
    expect(codes(created)).toEqual([]);

    const reported = await api.gql(AS_REPORTED, {
      token: api.acme.tokens.READ_ONLY_USER,
      variables: { n: MADE_UP_NAMES },
    });
    expect(codes(reported)).toEqual(["BAD_USER_INPUT"]);
    for (let i = 0; i < REQUESTS * ALIASES; i++) {
      const flood = await api.gql(FLOOD, {
        token: api.acme.tokens.READ_ONLY_USER,
        variables: { n: MADE_UP_NAMES },
      });
      expect(codes(flood)).toEqual(["FORBIDDEN"]);
    }
    await api.service.pruneAuditEvents();

    const events = await adminEvents();
    const byAdmin = events.filter((e) => e.actor === "admin").map((e) => e.action);
    expect(byAdmin).toContain("SET_SECRET");
    expect(byAdmin).toContain("READ_SECRET_VALUE");
    expect(byAdmin).toContain("CREATE_API_TOKEN");
    // One event per refused call at most, never one per name.
    const [{ n }] = (await rawSql(
      api.backend,
      `select count(*) as n from audit_events where actor = 'read_only_user'`,
    )) as [{ n: number | string }];
    expect(Number(n)).toBeGreaterThan(0);
    expect(Number(n)).toBeLessThanOrEqual(REQUESTS * ALIASES);
    // What the refusals were about is still there: the call's first names and how many.
    const refused = events.find((e) => e.actor === "read_only_user" && !e.suppressed);
    expect(refused).toMatchObject({
      action: "READ_SECRET_VALUE",
      outcome: "DENIED",
      secretName: null,
      secretNames: MADE_UP_NAMES.slice(0, 20),
      secretNameCount: 1000,
    });
    expect(JSON.stringify(events)).not.toContain("CANARY");
  });

  it("shows the count, names and suppression of events through auditEvents", async () => {
    for (let i = 0; i < 2; i++) {
      await api.gql('{ secretValues(names: ["A", "B", "C"]) }', {
        token: api.acme.tokens.READ_ONLY_USER,
      });
    }
    const response = await api.gql(
      `{ auditEvents(name: "B", limit: 5) {
          action outcome secretName secretNames secretNameCount count lastAt suppressed at } }`,
      { token: api.acme.tokens.TENANT_ADMIN },
    );
    expect(codes(response)).toEqual([]);
    const [event, ...rest] = response.body.data!.auditEvents as Array<Record<string, unknown>>;
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      action: "READ_SECRET_VALUE",
      outcome: "DENIED",
      secretName: null,
      secretNames: ["A", "B", "C"],
      secretNameCount: 3,
      count: 2,
      suppressed: false,
    });
    expect(typeof event?.lastAt).toBe("string");
  });
});
