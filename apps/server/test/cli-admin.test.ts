import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { testDir } from "@hush/test-support";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { init } from "../src/cli/commands/init.js";
import { migrate } from "../src/cli/commands/migrate.js";
import { start } from "../src/cli/commands/start.js";
import { tenantCreate } from "../src/cli/commands/tenant-create.js";
import { tokenCreate } from "../src/cli/commands/token-create.js";
import { openService } from "../src/index.js";
import { testIo } from "./support/cli.js";

const TOKEN = /hush_[A-Za-z0-9_-]{43}/;

describe("hush-server's admin commands, in-process", { timeout: 30_000 }, () => {
  let dir: string;
  const dataDir = () => join(dir, ".hush-data");
  const openData = () => openService({ dataDir: dataDir(), env: {} });
  /** Runs `command` with `options` in the temp folder; its exit code and what it printed. */
  const call = async <O>(
    command: (options: O, io: ReturnType<typeof testIo>["io"]) => Promise<number>,
    options: O,
    env: NodeJS.ProcessEnv = {},
  ) => {
    const { io, stdout, stderr } = testIo(dir, env);
    const code = await command(options, io);
    return { code, stdout: stdout(), stderr: stderr() };
  };

  beforeEach(() => {
    dir = testDir();
  });

  describe("init", () => {
    it("sets up the data folder once and prints the admin token once", async () => {
      const first = await call(init, {});
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

      const second = await call(init, {});
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
      await expect(call(init, {})).rejects.toThrow(`chmod 700 ${dataDir()}`);
      expect(existsSync(join(dataDir(), "master.key"))).toBe(false);

      await chmod(dataDir(), 0o700);
      expect((await call(init, {})).code).toBe(0);
      await chmod(dataDir(), 0o777);
      await expect(call(start, { port: "0" })).rejects.toThrow(`chmod 700 ${dataDir()}`);
    });

    it("prints JSON with json, and token null when already initialised", async () => {
      const first = await call(init, { json: true, host: "0.0.0.0", port: "5000" });
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toEqual({
        endpoint: "http://0.0.0.0:5000",
        tenant: "default",
        token: expect.stringMatching(TOKEN),
        created: true,
      });
      const second = await call(init, { json: true, port: "5000" });
      expect(JSON.parse(second.stdout)).toEqual({
        endpoint: "http://127.0.0.1:5000",
        tenant: "default",
        token: null,
        created: false,
      });
    });

    it("uses HUSH_DATA_DIR and HUSH_MASTER_KEY", async () => {
      const masterKey = randomBytes(32).toString("base64");
      const env = { HUSH_DATA_DIR: "elsewhere", HUSH_MASTER_KEY: masterKey };
      expect((await call(init, { json: true }, env)).code).toBe(0);
      await expect(stat(join(dir, "elsewhere", "hush.db"))).resolves.toBeDefined();
      await expect(stat(join(dir, "elsewhere", "master.key"))).rejects.toThrow();
      const service = await openService({ dataDir: join(dir, "elsewhere"), masterKey, env: {} });
      await service.close();
    });

    it("explains a malformed HUSH_MASTER_KEY without quoting it", async () => {
      const failed = call(init, {}, { HUSH_MASTER_KEY: "not-a-key" });
      await expect(failed).rejects.toThrow("openssl rand -base64 32");
      await expect(failed).rejects.not.toThrow("not-a-key");
    });
  });

  describe("token create, tenant create and migrate", () => {
    beforeEach(async () => {
      expect((await call(init, {})).code).toBe(0);
    });

    it("creates a token offline in the default tenant or a named one", async () => {
      const made = await call(tokenCreate, { role: "RUNNER", name: "ci", json: true });
      expect(made.code).toBe(0);
      const { id, token } = JSON.parse(made.stdout);
      const tenant = await call(tenantCreate, { name: "globex", json: true });
      expect(tenant.code).toBe(0);
      const created = JSON.parse(tenant.stdout);
      expect(created).toEqual({ tenant: "globex", token: expect.stringMatching(TOKEN) });
      const other = await call(tokenCreate, { role: "user", name: "u", tenant: "globex" });
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
      await expect(call(tokenCreate, { role: "ROOT", name: "x" })).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringContaining("--role must be one of"),
      });
      await expect(call(tokenCreate, { role: "USER" })).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringContaining("--name is required."),
      });
      await expect(
        call(tokenCreate, { role: "USER", name: "x", expiresAt: "soon" }),
      ).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining("--expires-at") });
      await expect(call(tokenCreate, { role: "USER", name: "x", tenant: "nope" })).rejects.toThrow(
        "hush-server tenant create nope",
      );
      await expect(call(tenantCreate, { name: "default" })).rejects.toThrow("already exists");
      await expect(call(tenantCreate, {})).rejects.toMatchObject({
        exitCode: 2,
        message: expect.stringContaining("Give the tenant's name."),
      });
    });

    it("refuses to work on a data folder that was never initialised", async () => {
      const refused = call(tokenCreate, { role: "USER", name: "x", dataDir: "empty" });
      await expect(refused).rejects.toMatchObject({
        exitCode: 1,
        message: expect.stringContaining("Run hush-server init first"),
      });
      await expect(stat(join(dir, "empty"))).rejects.toThrow();
    });

    it("migrates an up-to-date database without changes", async () => {
      const result = await call(migrate, {});
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("is up to date");
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
      const env = { HUSH_DATABASE_URL: url.toString() };
      const first = await call(init, { json: true }, env);
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout).created).toBe(true);
      expect(JSON.parse((await call(init, { json: true }, env)).stdout).created).toBe(false);
      const made = await call(tokenCreate, { role: "RUNNER", name: "ci", json: true }, env);
      expect(made.code).toBe(0);
      expect((await call(migrate, {}, env)).stdout).toContain("up to date");
      await expect(stat(join(dataDir(), "hush.db"))).rejects.toThrow();
    });
  });
});
