import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openService } from "../src/index.js";
import { BIN, childEnv, runBin, testDir } from "./support/bin.js";

const ROWS = 60;

describe("hush-server rotate-key", { timeout: 60_000 }, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let env: NodeJS.ProcessEnv;
  const bin = (...args: string[]) => runBin(args, { cwd: dir, env });
  const dataDir = () => join(dir, ".hush-data");
  const keyIds = () => {
    const db = new SqliteDatabase(join(dataDir(), "hush.db"), { readonly: true });
    try {
      return db
        .prepare("select key_id, count(*) as n from secret_versions group by key_id")
        .all() as Array<{ key_id: string; n: number }>;
    } finally {
      db.close();
    }
  };
  const keyFile = async () => JSON.parse(await readFile(join(dataDir(), "master.key"), "utf8"));

  beforeEach(async () => {
    ({ dir, cleanup } = await testDir());
    env = childEnv(dir);
    expect((await bin("init")).code).toBe(0);
    const service = await openService({ dataDir: dataDir(), env: {} });
    try {
      const { token } = await service.createTenant("acme");
      const admin = (await service.authenticate(token))!;
      await service.setSecrets(
        admin,
        Array.from({ length: ROWS }, (_, i) => ({ name: `S${i}`, value: `value-${i}` })),
      );
    } finally {
      await service.close();
    }
  }, 60_000);
  afterEach(async () => {
    await cleanup();
  });

  /** Starts `rotate-key --batch-size 1` and SIGKILLs it once it has committed a few batches. */
  function rotateAndKill(): Promise<string> {
    const child = spawn(process.execPath, [BIN, "rotate-key", "--batch-size", "1"], {
      cwd: dir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    return new Promise((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString("utf8");
        if (/Re-wrapped 3 data keys/.test(stdout)) child.kill("SIGKILL");
      });
      child.on("exit", () => resolve(stdout));
    });
  }

  it("resumes after being killed mid-way, then retires the old key", async () => {
    const before = await keyFile();
    const oldId = before.current;

    const killed = await rotateAndKill();
    expect(killed).toContain("made it current");
    expect(killed).not.toContain("Done");
    const file = await keyFile();
    const newId = file.current;
    expect(newId).not.toBe(oldId);
    const mixed = new Map(keyIds().map((r) => [r.key_id, r.n]));
    expect(mixed.get(newId)).toBeGreaterThanOrEqual(3);
    expect(mixed.get(oldId)).toBeGreaterThan(0);

    // A rerun finishes that rotation: no third key.
    const resumed = await bin("rotate-key", "--batch-size", "7");
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain("finishing that rotation");
    expect(resumed.stdout).toContain(`every stored value is wrapped by master key ${newId}`);
    expect((await keyFile()).keys).toHaveLength(2);
    expect(keyIds()).toEqual([{ key_id: newId, n: ROWS }]);

    const retired = await bin("rotate-key", "--retire");
    expect(retired.code).toBe(0);
    expect(retired.stdout).toContain(`Retired master key ${oldId}`);
    expect((await keyFile()).keys.map((k: { id: string }) => k.id)).toEqual([newId]);

    // Readable with the one key left.
    const service = await openService({ dataDir: dataDir(), env: {} });
    try {
      const token = (
        await service.createTokenOffline({ tenantName: "acme", role: "RUNNER", name: "r" })
      ).token;
      const runner = (await service.authenticate(token))!;
      expect(await service.secretValue(runner, "S0")).toBe("value-0");
      expect(await service.secretValue(runner, `S${ROWS - 1}`)).toBe(`value-${ROWS - 1}`);
    } finally {
      await service.close();
    }
  });

  it("keeps a key some value still uses, and says how to re-wrap it", async () => {
    const killed = await rotateAndKill();
    expect(killed).toContain("made it current");
    const oldId = (await keyFile()).keys[0].id;
    const retired = await bin("rotate-key", "--retire");
    expect(retired.code).toBe(0);
    expect(retired.stdout).toContain(`Kept master key ${oldId}`);
    expect(retired.stdout).toContain("hush-server rotate-key");
    expect((await keyFile()).keys).toHaveLength(2);
  });

  it("with HUSH_MASTER_KEYS, re-wraps under its first key and never prints a key", async () => {
    const oldKey = (await keyFile()).keys[0].key as string;
    const newKey = Buffer.alloc(32, 9).toString("base64");
    const keysEnv = { ...env, HUSH_MASTER_KEYS: `${newKey},${oldKey}` };
    const rotated = await runBin(["rotate-key"], { cwd: dir, env: keysEnv });
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain(`re-wrapped ${ROWS} data keys`);
    expect(rotated.stdout + rotated.stderr).not.toContain(newKey);
    expect(rotated.stdout + rotated.stderr).not.toContain(oldKey);
    const again = await runBin(["rotate-key"], { cwd: dir, env: keysEnv });
    expect(again.stdout).toContain("put it first in HUSH_MASTER_KEYS");
    const retire = await runBin(["rotate-key", "--retire"], { cwd: dir, env: keysEnv });
    expect(retire.stdout).toContain("remove it from HUSH_MASTER_KEYS");
  });
});

describe("hush-server rotate-key --help", () => {
  it("explains its options, and refuses a bad batch size", async () => {
    const { dir, cleanup } = await testDir();
    try {
      const env = childEnv(dir);
      const help = await runBin(["rotate-key", "--help"], { cwd: dir, env });
      expect(help.code).toBe(0);
      expect(help.stdout).toContain("--retire");
      expect((await runBin(["rotate-key", "--batch-size", "0"], { cwd: dir, env })).code).toBe(2);
    } finally {
      await cleanup();
    }
  });
});
