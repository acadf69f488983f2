import { createServer } from "node:http";
import { listenForTest } from "@hush/test-support";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { Caller, HushService } from "../src/index.js";
import { describeBackends, type OpenedBackend } from "./support/backends.js";
import { rawSql } from "./support/raw-database.js";
import { seedTenant } from "./support/seed.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describeBackends("change events under concurrent writers", (backend) => {
  let opened: OpenedBackend;
  let service: HushService;
  let admin: Caller;

  beforeEach(async () => {
    opened = await backend.open({ webhookPollIntervalMs: 25 });
    service = opened.service;
    admin = (await seedTenant(service)).callers.TENANT_ADMIN;
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  /**
   * Follows from `cursor`, each page as a follower reads it, until `count` changes were seen or
   * the writers are `done` and a page comes back empty.
   */
  async function followAll(from: HushService, cursor: string, count: number, done: () => boolean) {
    const seen: { id: string; name: string | null }[] = [];
    while (seen.length < count) {
      const finished = done();
      const page = await from.secretChanges(admin, { after: cursor, waitSeconds: 1, limit: 7 });
      if (page.changes.length === 0 && finished) break;
      seen.push(...page.changes.map((c) => ({ id: c.id, name: c.name })));
      cursor = page.cursor;
    }
    return seen;
  }

  it("lets a follower reading while writers commit miss no change", async () => {
    const replica = backend.name === "postgres" ? await opened.reopen() : service;
    const { cursor } = await service.secretChanges(admin, {});
    let written = false;
    const follower = followAll(replica, cursor, 240, () => written);
    // Plans, jobs and several secrets per call, from two replicas on PostgreSQL, all at once.
    const writes: Promise<unknown>[] = range(40).flatMap((i) => [
      (i % 2 ? service : replica).setSecret(admin, `ONE_${i}`, i),
      (i % 2 ? replica : service).setSecret(admin, "HOT", i),
      (i % 2 ? service : replica).setSecrets(admin, [{ name: `TWO_${i}`, value: i }]),
      replica.setSecret(admin, `THREE_${i}`, i, i % 3 === 0 ? "production" : undefined),
    ]);
    // And one write at a time on each replica: each commits alone, without a group.
    const oneByOne = async (on: HushService, prefix: string) => {
      for (const i of range(40)) await on.setSecret(admin, `${prefix}${i}`, i);
    };
    writes.push(oneByOne(service, "LONE_A_"), oneByOne(replica, "LONE_B_"));
    await Promise.all(writes);
    written = true;
    const seen = await follower;
    expect(seen).toHaveLength(240);
    const ids = seen.map((c) => BigInt(c.id));
    expect(new Set(ids).size).toBe(240);
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
    expect(seen.filter((c) => c.name === "HOT")).toHaveLength(40);
    if (backend.name === "postgres") {
      // The race is real: some change took its id (at INSERT) before a change that committed
      // ahead of it, the one a follower reading by id would have skipped.
      const [overtaken] = await rawSql(
        opened,
        `select count(*)::int as n from (
           select id < lag(id) over (order by seq) as behind from change_events
         ) e where behind`,
      );
      expect(overtaken?.n).toBeGreaterThan(0);
    }
  });

  it.runIf(backend.name === "postgres")(
    "wakes a poll held on one replica when another replica writes",
    async () => {
      const replica = await opened.reopen();
      const { cursor } = await replica.secretChanges(admin, {});
      const began = Date.now();
      const held = replica.secretChanges(admin, { after: cursor, waitSeconds: 20 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await service.setSecret(admin, "FROM_THE_OTHER", "v");
      const page = await held;
      expect(page.changes.map((c) => c.name)).toEqual(["FROM_THE_OTHER"]);
      expect(Date.now() - began).toBeLessThan(5000);
    },
  );

  it.runIf(backend.name === "postgres")(
    "sends each delivery once although every replica runs a worker",
    async () => {
      const replica = await opened.reopen({ webhookPollIntervalMs: 25 });
      const ids: string[] = [];
      const receiver = createServer((request, response) => {
        ids.push(String(request.headers["x-hush-delivery"]));
        request.resume();
        request.on("end", () => response.end());
      });
      const port = await listenForTest(receiver);
      await service.createWebhook(admin, { url: `http://127.0.0.1:${port}/hook` });
      await Promise.all(
        range(30).map((i) => (i % 2 ? service : replica).setSecret(admin, `N${i}`, i)),
      );
      for (let i = 0; i < 400 && ids.length < 30; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(ids).toHaveLength(30);
      expect(new Set(ids).size).toBe(30);
    },
  );
});
