import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChangeFeed } from "../src/service/change-feed.js";
import { ChangeListener } from "../src/storage/change-listener.js";

const ADMIN_URL = process.env.HUSH_TEST_POSTGRES_URL || undefined;

async function query(url: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Resolves once `check` is true; polls every 20 ms, for 10 s at most. */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error("timed out");
}

describe.runIf(ADMIN_URL !== undefined)("listening for change notices on PostgreSQL", () => {
  let dbName: string;
  let url: string;
  let feed: ChangeFeed;
  let listener: ChangeListener;
  let heard: string[];

  beforeEach(async () => {
    dbName = `hush_test_${randomBytes(6).toString("hex")}`;
    await query(ADMIN_URL!, `create database ${dbName}`);
    const parsed = new URL(ADMIN_URL!);
    parsed.pathname = `/${dbName}`;
    url = parsed.toString();
    feed = new ChangeFeed();
    heard = [];
    feed.on((kind) => heard.push(kind));
    listener = new ChangeListener({ databaseUrl: url, feed });
    await listener.start();
  });
  afterEach(async () => {
    await listener.close();
    await query(ADMIN_URL!, `drop database if exists ${dbName} with (force)`);
  });

  const notify = (payload: string) => query(url, "select pg_notify('hush_changes', $1)", [payload]);

  it("hears what another connection notifies, and ignores what it does not know", async () => {
    await notify("tokens");
    await notify("something-else");
    await notify("keys");
    await until(() => heard.length >= 2);
    expect(heard).toEqual(["tokens", "keys"]);
  });

  it("goes not live when its connection is killed, reconnects, and resyncs", async () => {
    const killed = await query(
      url,
      "select pg_terminate_backend(pid) as done from pg_stat_activity where datname = $1 and query = 'LISTEN hush_changes'",
      [dbName],
    );
    expect(killed).toHaveLength(1);
    await until(() => !feed.live);
    await until(() => feed.live);
    expect(heard).toContain("resync");
    // Listening again: notices arrive.
    await notify("tokens");
    await until(() => heard.includes("tokens"));
  });
});
