import { spawn } from "node:child_process";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rotateKey } from "../src/cli/commands/rotate-key.js";
import { openService } from "../src/index.js";
import { BIN, childEnv, testDir } from "./support/bin.js";
import { initWithSecrets, readKeyFile, testIo } from "./support/cli.js";

const ROWS = 60;

// The rotation killed mid-way needs a process to kill; what follows it runs in-process.
describe("hush-server rotate-key, killed", { timeout: 60_000 }, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let env: NodeJS.ProcessEnv;
  /** `hush-server rotate-key` in-process. */
  const rotate = async (options: { retire?: boolean; batchSize?: string }) => {
    const { io, stdout, stderr } = testIo(dir);
    const code = await rotateKey(options, io);
    return { code, stdout: stdout(), stderr: stderr() };
  };
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
  const keyFile = () => readKeyFile(dir);

  beforeEach(async () => {
    ({ dir, cleanup } = await testDir());
    env = childEnv(dir);
    await initWithSecrets(dir, ROWS);
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
    const resumed = await rotate({ batchSize: "7" });
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain("finishing that rotation");
    expect(resumed.stdout).toContain(`every stored value is wrapped by master key ${newId}`);
    expect((await keyFile()).keys).toHaveLength(2);
    expect(keyIds()).toEqual([{ key_id: newId, n: ROWS }]);

    const retired = await rotate({ retire: true });
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
    const retired = await rotate({ retire: true });
    expect(retired.code).toBe(0);
    expect(retired.stdout).toContain(`Kept master key ${oldId}`);
    expect(retired.stdout).toContain("hush-server rotate-key");
    expect((await keyFile()).keys).toHaveLength(2);
  });
});
