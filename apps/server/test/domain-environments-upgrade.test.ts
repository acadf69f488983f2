import { randomBytes } from "node:crypto";
import { chmod, copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { type HushService, openService } from "../src/index.js";

// Data written by the build before environments (see fixtures/pre-environments/README.md).
const FIXTURE = join(import.meta.dirname, "fixtures", "pre-environments");
const ADMIN_URL = process.env.HUSH_TEST_POSTGRES_URL || undefined;

/** Copies a fixture's master key, private again: a checkout leaves it readable by others. */
async function copyKey(from: string, dir: string): Promise<void> {
  await copyFile(from, join(dir, "master.key"));
  await chmod(join(dir, "master.key"), 0o600);
}

const VALUES: Record<string, unknown> = {
  DB_URL: "postgres://app@db/three",
  DB_CREDENTIALS: { user: "app", password: "s3cret", port: 5432, tls: true },
  TLS_KEY: "-----BEGIN KEY-----\nline one\nline two\n-----END KEY-----\n",
  API_TOKEN: "v1",
  COUNT: 42,
};

async function checkUpgraded(service: HushService, tokens: Record<string, string>) {
  const admin = await service.authenticate(tokens.TENANT_ADMIN!);
  expect(admin).toBeDefined();
  for (const role of ["USER", "RUNNER", "READ_ONLY_USER"]) {
    expect((await service.authenticate(tokens[role]!))?.role).toBe(role);
  }
  const caller = admin!;
  expect(await service.environments(caller)).toMatchObject([
    { name: "production", isDefault: true, secretCount: 5 },
  ]);
  expect(await service.secretNames(caller)).toEqual(Object.keys(VALUES).sort());
  for (const [name, value] of Object.entries(VALUES)) {
    expect(await service.secretValue(caller, name, undefined, "production")).toEqual(value);
  }
  // Every kept version of DB_URL still opens (rollback to each re-reads its value).
  expect((await service.secretVersions(caller, "DB_URL")).map((v) => v.version)).toEqual([3, 2, 1]);
  await service.rollbackSecret(caller, "DB_URL", 1);
  expect(await service.secretValue(caller, "DB_URL")).toBe("postgres://app@db/one");
  await service.rollbackSecret(caller, "DB_URL", 2);
  expect(await service.secretValue(caller, "DB_URL")).toBe("postgres://app@db/two");
  expect((await service.secretVersions(caller, "API_TOKEN")).map((v) => v.version)).toEqual([
    3, 2, 1,
  ]);
  expect((await service.secretVersions(caller, "OLD_SECRET"))[0]?.deleted).toBe(true);
  const events = await service.auditEvents(caller, { limit: 1000, offset: 0 });
  const secretEvents = events.filter((e) => e.secretName !== null || e.secretNames !== null);
  expect(secretEvents.length).toBeGreaterThan(10);
  expect(secretEvents.every((e) => e.environment === "production")).toBe(true);
  expect(
    events.filter((e) => e.action === "CREATE_API_TOKEN").every((e) => e.environment === null),
  ).toBe(true);
  expect(events.some((e) => e.action === "READ_SECRET_VALUE" && e.outcome === "DENIED")).toBe(true);
  const tokenList = await service.apiTokens(caller);
  expect(tokenList.length).toBe(5);
  expect(tokenList.every((t) => t.environments === null)).toBe(true);
  // Later migrations ran too: no trust yet, and old events about none.
  expect(await service.identityTrusts(caller)).toEqual([]);
  expect(events.every((e) => e.trustId === null && e.subject === null)).toBe(true);
  // Old rows have no digest: comparing digests them on the server.
  await service.createEnvironment(caller, "staging");
  await service.copySecrets(caller, { from: "production", to: "staging" });
  const comparison = await service.compareEnvironments(caller, "production", "staging");
  expect(comparison.equal).toBe(true);
}

describe("upgrading data written before environments", { timeout: 60_000 }, () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("moves a SQLite data folder into production, values unchanged", async () => {
    const dir = await mkdtemp(join(tmpdir(), "hush-upgrade-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await copyFile(join(FIXTURE, "sqlite", "hush.db"), join(dir, "hush.db"));
    await copyKey(join(FIXTURE, "sqlite", "master.key"), dir);
    const tokens = JSON.parse(await readFile(join(FIXTURE, "sqlite", "tokens.json"), "utf8"));
    const service = await openService({ dataDir: dir, env: {} });
    cleanups.push(() => service.close());
    await checkUpgraded(service, tokens);
  });

  it.skipIf(ADMIN_URL === undefined)(
    "moves a PostgreSQL database into production, values unchanged",
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "hush-upgrade-"));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      await copyKey(join(FIXTURE, "postgres", "master.key"), dir);
      const database = `hush_upgrade_${randomBytes(6).toString("hex")}`;
      const admin = new pg.Client({ connectionString: ADMIN_URL });
      await admin.connect();
      await admin.query(`create database ${database}`);
      cleanups.push(async () => {
        await admin.query(`drop database if exists ${database} with (force)`);
        await admin.end();
      });
      const url = new URL(ADMIN_URL!);
      url.pathname = `/${database}`;
      // psql's meta-commands (\restrict…) are not SQL; the rest runs as it is.
      const dump = (await readFile(join(FIXTURE, "postgres", "dump.sql"), "utf8"))
        .split("\n")
        .filter((line) => !line.startsWith("\\"))
        .join("\n");
      const restore = new pg.Client({ connectionString: url.toString() });
      await restore.connect();
      await restore.query(dump);
      await restore.end();
      const tokens = JSON.parse(await readFile(join(FIXTURE, "postgres", "tokens.json"), "utf8"));
      const service = await openService({ dataDir: dir, databaseUrl: url.toString(), env: {} });
      cleanups.push(() => service.close());
      await checkUpgraded(service, tokens);
    },
  );
});
