import SqliteDatabase from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { generateApiToken, hashApiToken } from "../auth/api-token.js";
import { migrateToLatest } from "../storage/migrate.js";
import type { Database } from "../storage/schema.js";
import { Authenticator } from "./authenticator.js";
import { ChangeFeed } from "./change-feed.js";
import type { ServiceContext } from "./service-context.js";

describe("cached token checks and change notices", () => {
  let db: Kysely<Database>;
  let now: number;
  let feed: ChangeFeed;
  let authenticator: Authenticator;
  const token = generateApiToken();

  beforeEach(async () => {
    db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: new SqliteDatabase(":memory:") }),
    });
    await migrateToLatest(db);
    await db
      .insertInto("tenants")
      .values({ id: "t1", name: "acme", created: "2026-01-01T00:00:00Z" })
      .execute();
    await db
      .insertInto("api_tokens")
      .values({
        id: "k1",
        tenant_id: "t1",
        name: "ci",
        role: "RUNNER",
        token_hash: hashApiToken(token),
        created: "2026-01-01T00:00:00Z",
        created_by: "test",
        expires_at: null,
        revoked_at: null,
      })
      .execute();
    now = Date.parse("2026-06-01T00:00:00Z");
    feed = new ChangeFeed();
    const context = { db, clock: () => new Date(now) } as unknown as ServiceContext;
    authenticator = new Authenticator(context, { ttlMs: 5000, maxEntries: 100, changes: feed });
  });
  afterEach(async () => {
    await db.destroy();
  });

  // Revoked behind this process's back, as another replica would.
  const revokeElsewhere = () =>
    db
      .updateTable("api_tokens")
      .set({ revoked_at: "2026-06-01T00:00:00Z" })
      .where("id", "=", "k1")
      .execute();

  it("keeps a check for its full life while notices arrive, and drops every check on a notice", async () => {
    expect(await authenticator.authenticate(token)).toMatchObject({ tokenId: "k1" });
    await revokeElsewhere();
    now += 1500;
    expect(await authenticator.authenticate(token)).toMatchObject({ tokenId: "k1" });
    feed.emit("tokens");
    expect(await authenticator.authenticate(token)).toBeUndefined();
  });

  it("keeps checks at most a second while notices are lost, and drops them all on reconnecting", async () => {
    feed.setLive(false);
    expect(await authenticator.authenticate(token)).toMatchObject({ tokenId: "k1" });
    await revokeElsewhere();
    now += 1000;
    expect(await authenticator.authenticate(token)).toBeUndefined();

    // Back to live: whatever was cached while notices were lost is dropped.
    await db.updateTable("api_tokens").set({ revoked_at: null }).where("id", "=", "k1").execute();
    now += 1000;
    expect(await authenticator.authenticate(token)).toMatchObject({ tokenId: "k1" });
    await revokeElsewhere();
    feed.setLive(true);
    expect(await authenticator.authenticate(token)).toBeUndefined();
  });
});
