import { afterEach, beforeEach, expect, it } from "vitest";
import type { HushService } from "../src/index.js";
import { type ApiFixture, codes, fieldOf, openApi } from "./api-support.js";
import { describeBackends } from "./support/backends.js";

const FOLLOW = `query Follow($after: ID, $environment: String, $names: [String!], $waitSeconds: Int, $limit: Int) {
  secretChanges(after: $after, environment: $environment, names: $names, waitSeconds: $waitSeconds, limit: $limit) {
    changes { id tenant environment name action version at actor }
    cursor
  }
}`;

interface Change {
  id: string;
  tenant: string;
  environment: string;
  name: string | null;
  action: string;
  version: number | null;
  at: string;
  actor: string;
}
interface Page {
  changes: Change[];
  cursor: string;
}

const VALUE = "s3cr3t-value-never-in-an-event";

describeBackends("secretChanges", (backend) => {
  let api: ApiFixture;
  let admin: string;

  async function follow(variables: Record<string, unknown> = {}, token = admin) {
    return api.gql(FOLLOW, { token, variables });
  }
  async function page(variables: Record<string, unknown> = {}, token = admin): Promise<Page> {
    return fieldOf<Page>(await follow(variables, token), "secretChanges");
  }

  beforeEach(async () => {
    api = await openApi(backend);
    admin = api.acme.tokens.TENANT_ADMIN;
  });
  afterEach(async () => {
    await api.close();
  });

  it("records every kind of change, in commit order, with a cursor and never a value", async () => {
    const service: HushService = api.service;
    const caller = api.acme.callers.TENANT_ADMIN;
    const start = await page({ environment: "staging" }).catch(() => undefined);
    expect(start).toBeUndefined(); // no staging yet: BAD_USER_INPUT
    const first = await page();
    expect(first.changes).toEqual([]);

    await service.createEnvironment(caller, "staging");
    await service.setSecret(caller, "DB", VALUE);
    await service.setSecrets(caller, [
      { name: "A", value: VALUE },
      { name: "B", value: `${VALUE}-b` },
    ]);
    await service.setSecret(caller, "DB", `${VALUE}-2`);
    await service.rollbackSecret(caller, "DB", 1);
    await service.deleteSecret(caller, "B");
    await service.copySecrets(caller, { from: "production", to: "staging", names: ["A"] });
    await service.deleteEnvironment(caller, "staging", true);

    const response = await follow({ after: first.cursor });
    expect(response.raw).not.toContain(VALUE);
    const production = fieldOf<Page>(response, "secretChanges");
    expect(production.changes.map((c) => [c.action, c.name, c.version])).toEqual([
      ["SET", "DB", 1],
      ["SET", "A", 1],
      ["SET", "B", 1],
      ["SET", "DB", 2],
      ["ROLLBACK", "DB", 3],
      ["DELETE", "B", 2],
      ["COPY", null, null],
    ]);
    for (const change of production.changes) {
      expect(change).toMatchObject({ tenant: "acme", environment: "production", actor: "admin" });
    }
    const ids = production.changes.map((c) => BigInt(c.id));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    expect(production.cursor).toBe(production.changes.at(-1)?.id);

    // The environment's own changes are in the stream of that environment, kept after it is gone.
    await service.createEnvironment(caller, "staging");
    const staging = await page({ after: first.cursor, environment: "staging" });
    expect(staging.changes.map((c) => [c.action, c.name])).toEqual([
      ["CREATE_ENVIRONMENT", null],
      ["SET", "A"],
      ["DELETE_ENVIRONMENT", null],
      ["CREATE_ENVIRONMENT", null],
    ]);

    // A write that fails records nothing.
    const before = await page();
    await expect(service.deleteSecret(caller, "NEVER_SET")).rejects.toThrow();
    await expect(service.rollbackSecret(caller, "DB", 99)).rejects.toThrow();
    await expect(
      service.copySecrets(caller, { from: "production", to: "staging", names: ["MISSING"] }),
    ).rejects.toThrow();
    expect((await page({ after: before.cursor })).changes).toEqual([]);

    // Paging: the cursor of a page leads to the next.
    const one = await page({ after: first.cursor, limit: 2 });
    expect(one.changes.map((c) => c.name)).toEqual(["DB", "A"]);
    const two = await page({ after: one.cursor, limit: 2 });
    expect(two.changes.map((c) => c.name)).toEqual(["B", "DB"]);
  });

  it("starts from the newest change without after, filters by names, and echoes the cursor", async () => {
    const caller = api.acme.callers.TENANT_ADMIN;
    await api.service.setSecret(caller, "OLD", "x");
    const start = await page();
    expect(start.changes).toEqual([]);
    await api.service.setSecret(caller, "A", "1");
    await api.service.setSecret(caller, "B", "2");
    const onlyB = await page({ after: start.cursor, names: ["B"] });
    expect(onlyB.changes.map((c) => c.name)).toEqual(["B"]);
    const none = await page({ after: onlyB.cursor });
    expect(none).toEqual({ changes: [], cursor: onlyB.cursor });
    // Another tenant's changes are not in it.
    await api.service.setSecret(api.globex.callers.TENANT_ADMIN, "C", "3");
    expect((await page({ after: onlyB.cursor })).changes).toEqual([]);
  });

  it("refuses a cursor it does not keep, or a bad wait, as BAD_USER_INPUT saying what to do", async () => {
    const unknown = await follow({ after: "999999" });
    expect(codes(unknown)).toEqual(["BAD_USER_INPUT"]);
    expect(unknown.body.errors?.[0]?.message).toContain("Start again without after");
    expect(codes(await follow({ after: "not-a-cursor" }))).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await follow({ waitSeconds: 26 }))).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await follow({ limit: 0 }))).toEqual(["BAD_USER_INPUT"]);
  });

  it("lets any role follow, only in the environments its token may use", async () => {
    const caller = api.acme.callers.TENANT_ADMIN;
    await api.service.createEnvironment(caller, "staging");
    const scoped = await api.service.createApiToken(caller, {
      name: "staging-only",
      role: "READ_ONLY_USER",
      environments: ["staging"],
    });
    const start = await page({}, scoped.token);
    await api.service.setSecret(caller, "S", "v", "staging");
    await api.service.setSecret(caller, "P", "v", "production");
    const seen = await page({ after: start.cursor }, scoped.token);
    expect(seen.changes.map((c) => [c.environment, c.name])).toEqual([["staging", "S"]]);
    const refused = await follow({ environment: "production" }, scoped.token);
    expect(codes(refused)).toEqual(["FORBIDDEN"]);
    expect(codes(await follow({}, "hush_not_a_token"))).toEqual(["UNAUTHENTICATED"]);
  });

  it("holds an empty answer until a change comes, and answers when the wait is over", async () => {
    const caller = api.acme.callers.TENANT_ADMIN;
    const start = await page();
    const began = Date.now();
    const held = follow({ after: start.cursor, waitSeconds: 20 });
    setTimeout(() => void api.service.setSecret(caller, "LATE", "v"), 300);
    const woke = fieldOf<Page>(await held, "secretChanges");
    expect(woke.changes.map((c) => c.name)).toEqual(["LATE"]);
    expect(Date.now() - began).toBeLessThan(5000);

    const quiet = Date.now();
    const empty = await page({ after: woke.cursor, waitSeconds: 1 });
    expect(empty).toEqual({ changes: [], cursor: woke.cursor });
    expect(Date.now() - quiet).toBeGreaterThanOrEqual(900);
  });

  it("keeps changes 7 days: an older cursor is refused, telling to start again", async () => {
    await api.close();
    let now = Date.parse("2030-01-01T00:00:00Z");
    api = await openApi(backend, { service: { clock: () => new Date(now) } });
    admin = api.acme.tokens.TENANT_ADMIN;
    const caller = api.acme.callers.TENANT_ADMIN;
    await api.service.setSecret(caller, "OLD", "x");
    const { cursor } = await page();
    now += 6 * 86_400_000;
    await api.service.setSecret(caller, "NEWER", "x");
    await api.service.pruneAuditEvents();
    expect((await page({ after: cursor })).changes.map((c) => c.name)).toEqual(["NEWER"]);
    now += 2 * 86_400_000;
    await api.service.pruneAuditEvents();
    const expired = await follow({ after: cursor });
    expect(codes(expired)).toEqual(["BAD_USER_INPUT"]);
    expect(expired.body.errors?.[0]?.message).toContain("kept 7 days");
    expect((await page()).changes).toEqual([]);
  });

  it("answers held polls at once when the server closes", async () => {
    const start = await page();
    const began = Date.now();
    const held = follow({ after: start.cursor, waitSeconds: 25 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closing = api.service.close();
    const answer = await held;
    await closing;
    expect(Date.now() - began).toBeLessThan(5000);
    expect(fieldOf<Page>(answer, "secretChanges").changes).toEqual([]);
  });
});
