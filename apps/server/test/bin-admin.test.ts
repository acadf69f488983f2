import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openService } from "../src/index.js";
import { childEnv, runBin, testDir } from "./support/bin.js";

const TOKEN = /hush_[A-Za-z0-9_-]{43}/;

describe("hush-server admin commands", { timeout: 30_000 }, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let env: NodeJS.ProcessEnv;
  const bin = (...args: string[]) => runBin(args, { cwd: dir, env });
  const dataDir = () => join(dir, ".hush-data");
  const openData = () => openService({ dataDir: dataDir(), env: {} });

  beforeEach(async () => {
    ({ dir, cleanup } = await testDir());
    env = childEnv(dir);
  });
  afterEach(async () => {
    await cleanup();
  });

  describe("init", () => {
    it("sets up the data folder once and prints the admin token once", async () => {
      const first = await bin("init");
      expect(first.code).toBe(0);
      expect(first.stdout).toContain("shown once, store it now");
      expect(first.stdout).toContain("hush-server start");
      expect(first.stdout).toContain('endpoint = "http://127.0.0.1:4200"');
      const token = TOKEN.exec(first.stdout)?.[0];
      expect(token).toBeDefined();
      expect(first.stdout.split(token!)).toHaveLength(2); // printed exactly once

      const keyPath = join(dataDir(), "master.key");
      expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
      const key = await readFile(keyPath);
      const db = await readFile(join(dataDir(), "hush.db"));

      const second = await bin("init");
      expect(second.code).toBe(0);
      expect(second.stdout).toContain("already initialised");
      expect(second.stdout).toContain("nothing was changed");
      expect(second.stdout).not.toMatch(TOKEN);
      expect(await readFile(keyPath)).toEqual(key);
      expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
      expect((await readFile(join(dataDir(), "hush.db"))).length).toBe(db.length);

      const service = await openData();
      try {
        expect((await service.listTenants()).map((t) => t.name)).toEqual(["default"]);
        expect(await service.authenticate(token!)).toMatchObject({
          tenantName: "default",
          tokenName: "admin",
          role: "TENANT_ADMIN",
        });
      } finally {
        await service.close();
      }
    });

    it("refuses a data folder that other users can write to, saying the chmod to run", async () => {
      await mkdir(dataDir(), { mode: 0o700 });
      await chmod(dataDir(), 0o777);
      const refused = await bin("init");
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`chmod 700 ${dataDir()}`);
      expect(refused.stderr).not.toContain("    at ");
      expect(existsSync(join(dataDir(), "master.key"))).toBe(false);

      await chmod(dataDir(), 0o700);
      expect((await bin("init")).code).toBe(0);
      await chmod(dataDir(), 0o777);
      const start = await bin("start", "--port", "0");
      expect(start.code).toBe(1);
      expect(start.stderr).toContain(`chmod 700 ${dataDir()}`);
    });

    it("prints JSON with --json, and token null when already initialised", async () => {
      const first = await bin("init", "--json", "--host", "0.0.0.0", "--port", "5000");
      expect(first.code).toBe(0);
      const parsed = JSON.parse(first.stdout);
      expect(parsed).toEqual({
        endpoint: "http://0.0.0.0:5000",
        tenant: "default",
        token: expect.stringMatching(TOKEN),
        created: true,
      });
      const second = await bin("init", "--json", "--port", "5000");
      expect(JSON.parse(second.stdout)).toEqual({
        endpoint: "http://127.0.0.1:5000",
        tenant: "default",
        token: null,
        created: false,
      });
    });

    it("uses HUSH_DATA_DIR and HUSH_MASTER_KEY", async () => {
      const masterKey = randomBytes(32).toString("base64");
      env = childEnv(dir, { HUSH_DATA_DIR: "elsewhere", HUSH_MASTER_KEY: masterKey });
      const result = await bin("init", "--json");
      expect(result.code).toBe(0);
      await expect(stat(join(dir, "elsewhere", "hush.db"))).resolves.toBeDefined();
      await expect(stat(join(dir, "elsewhere", "master.key"))).rejects.toThrow();
      const service = await openService({ dataDir: join(dir, "elsewhere"), masterKey, env: {} });
      await service.close();
    });

    it("explains a malformed HUSH_MASTER_KEY without a stack trace", async () => {
      env = childEnv(dir, { HUSH_MASTER_KEY: "not-a-key" });
      const result = await bin("init");
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("openssl rand -base64 32");
      expect(result.stderr).not.toContain("not-a-key");
      expect(result.stderr).not.toMatch(/\n\s+at /);
    });
  });

  describe("token create and tenant create", () => {
    beforeEach(async () => {
      expect((await bin("init")).code).toBe(0);
    });

    it("creates a token offline in the default tenant or a named one", async () => {
      const made = await bin("token", "create", "--role", "RUNNER", "--name", "ci", "--json");
      expect(made.code).toBe(0);
      const { id, token } = JSON.parse(made.stdout);
      const tenant = await bin("tenant", "create", "globex", "--json");
      expect(tenant.code).toBe(0);
      const created = JSON.parse(tenant.stdout);
      expect(created).toEqual({ tenant: "globex", token: expect.stringMatching(TOKEN) });
      const other = await bin(
        "token",
        "create",
        "--role",
        "user",
        "--name",
        "u",
        "--tenant",
        "globex",
      );
      expect(other.code).toBe(0);
      expect(other.stdout).toContain("shown once, store it now");
      const otherToken = TOKEN.exec(other.stdout)![0];

      const service = await openData();
      try {
        expect(await service.authenticate(token)).toMatchObject({
          tokenId: id,
          tenantName: "default",
          tokenName: "ci",
          role: "RUNNER",
        });
        expect(await service.authenticate(created.token)).toMatchObject({
          tenantName: "globex",
          role: "TENANT_ADMIN",
        });
        expect(await service.authenticate(otherToken)).toMatchObject({
          tenantName: "globex",
          role: "USER",
        });
      } finally {
        await service.close();
      }
    });

    it("reports mistakes with a message and an exit code", async () => {
      const badRole = await bin("token", "create", "--role", "ROOT", "--name", "x");
      expect(badRole.code).toBe(2);
      expect(badRole.stderr).toContain("--role must be one of");
      const noTenant = await bin(
        "token",
        "create",
        "--role",
        "USER",
        "--name",
        "x",
        "--tenant",
        "nope",
      );
      expect(noTenant.code).toBe(1);
      expect(noTenant.stderr).toContain("hush-server tenant create nope");
      const again = await bin("tenant", "create", "default");
      expect(again.code).toBe(1);
      expect(again.stderr).toContain("already exists");
      const unknown = await bin("token", "create", "--bogus");
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("hush-server token create --help");
      for (const result of [badRole, noTenant, again, unknown]) {
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
    });

    it("refuses to work on a data folder that was never initialised", async () => {
      const result = await bin(
        "token",
        "create",
        "--role",
        "USER",
        "--name",
        "x",
        "--data-dir",
        "empty",
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("Run hush-server init first");
      await expect(stat(join(dir, "empty"))).rejects.toThrow();
    });

    it("migrates an up-to-date database without changes", async () => {
      const result = await bin("migrate");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("is up to date");
    });
  });

  describe("help", () => {
    it.each([
      [[], 2],
      [["--help"], 0],
      [["init", "--help"], 0],
      [["start", "--help"], 0],
      [["migrate", "--help"], 0],
      [["token", "create", "--help"], 0],
      [["tenant", "create", "--help"], 0],
    ])("hush-server %j prints usage without secrets", async (args, code) => {
      env = childEnv(dir, {
        HUSH_MASTER_KEY: randomBytes(32).toString("base64"),
        HUSH_DATABASE_URL: "postgres://u:CANARY-password@db/x",
      });
      const result = await bin(...(args as string[]));
      expect(result.code).toBe(code);
      expect(result.stdout).toContain("Usage: hush-server");
      expect(result.stdout).not.toMatch(TOKEN);
      expect(result.stdout).not.toContain(env.HUSH_MASTER_KEY);
      expect(result.stdout).not.toContain("CANARY");
    });

    it("rejects an unknown command", async () => {
      const result = await bin("serve");
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("Unknown command: serve");
    });
  });

  describe.runIf(process.env.HUSH_TEST_POSTGRES_URL)("on PostgreSQL", () => {
    // The body is collected even when skipped: read the URL only when a test runs.
    const adminUrl = () => process.env.HUSH_TEST_POSTGRES_URL!;
    const name = `hush_test_${randomBytes(6).toString("hex")}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      await client.query(sql).finally(() => client.end());
    };

    beforeEach(() => admin(`create database ${name}`));
    afterEach(() => admin(`drop database if exists ${name} with (force)`));

    it("initialises, creates tokens and migrates with HUSH_DATABASE_URL", async () => {
      const url = new URL(adminUrl());
      url.pathname = `/${name}`;
      env = childEnv(dir, { HUSH_DATABASE_URL: url.toString() });
      const first = await bin("init", "--json");
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout).created).toBe(true);
      expect(JSON.parse((await bin("init", "--json")).stdout).created).toBe(false);
      const token = await bin("token", "create", "--role", "RUNNER", "--name", "ci", "--json");
      expect(token.code).toBe(0);
      expect((await bin("migrate")).stdout).toContain("up to date");
      await expect(stat(join(dataDir(), "hush.db"))).rejects.toThrow();
    });
  });
});
