import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openService } from "../src/index.js";
import { childEnv, runBin, testDir } from "./support/bin.js";

const TOKEN = /hush_[A-Za-z0-9_-]{43}/;

// The binary itself: exit codes, output streams, help and the error boundary. What each command
// does is tested in-process (cli-*.test.ts).
describe("the hush-server binary", { timeout: 30_000 }, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let env: NodeJS.ProcessEnv;
  const bin = (...args: string[]) => runBin(args, { cwd: dir, env });

  beforeEach(async () => {
    ({ dir, cleanup } = await testDir());
    env = childEnv(dir);
  });
  afterEach(async () => {
    await cleanup();
  });

  it("sets up a data folder, creates a token and a tenant, and exits 0", async () => {
    const first = await bin("init");
    expect(first.code).toBe(0);
    const token = TOKEN.exec(first.stdout)?.[0];
    expect(first.stdout.split(token!)).toHaveLength(2); // printed exactly once
    const made = await bin("token", "create", "--role", "RUNNER", "--name", "ci", "--json");
    expect(made.code).toBe(0);
    const tenant = await bin("tenant", "create", "globex", "--json");
    expect(JSON.parse(tenant.stdout)).toEqual({
      tenant: "globex",
      token: expect.stringMatching(TOKEN),
    });
    const service = await openService({ dataDir: `${dir}/.hush-data`, env: {} });
    try {
      expect(await service.authenticate(JSON.parse(made.stdout).token)).toMatchObject({
        tenantName: "default",
        role: "RUNNER",
      });
    } finally {
      await service.close();
    }
  });

  it("exits 2 on a usage mistake and 1 on a failure, with a message and no stack", async () => {
    const unknown = await bin("token", "create", "--bogus");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("hush-server token create --help");
    const badRole = await bin("token", "create", "--role", "ROOT", "--name", "x");
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain("--role must be one of");
    const uninitialised = await bin("token", "create", "--role", "USER", "--name", "x");
    expect(uninitialised.code).toBe(1);
    expect(uninitialised.stderr).toContain("Run hush-server init first");
    env = childEnv(dir, { HUSH_MASTER_KEY: "not-a-key" });
    const badKey = await bin("init");
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toContain("openssl rand -base64 32");
    expect(badKey.stderr).not.toContain("not-a-key");
    for (const result of [unknown, badRole, uninitialised, badKey]) {
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/^hush-server: /);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it.each([
    [[], 2],
    [["--help"], 0],
    [["start", "--help"], 0],
    [["token", "create", "--help"], 0],
  ])("hush-server %j prints usage on stdout without secrets", async (args, code) => {
    env = childEnv(dir, {
      HUSH_MASTER_KEY: randomBytes(32).toString("base64"),
      HUSH_DATABASE_URL: "postgres://u:CANARY-password@db/x",
    });
    const result = await bin(...(args as string[]));
    expect(result.code).toBe(code);
    expect(result.stdout).toContain("Usage: hush-server");
    expect(result.stdout).not.toContain(env.HUSH_MASTER_KEY);
    expect(result.stdout).not.toContain("CANARY");
    expect(result.stderr).toBe("");
  });

  it("prints its version, and rejects an unknown command", async () => {
    const version = await bin("--version");
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
    expect((await bin("-v")).stdout).toBe(version.stdout);
    const result = await bin("serve");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown command: serve");
  });
});
