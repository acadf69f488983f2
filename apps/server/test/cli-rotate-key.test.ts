import { testDir } from "@hush/test-support";
import { beforeEach, describe, expect, it } from "vitest";
import { rotateKey } from "../src/cli/commands/rotate-key.js";
import { initWithSecrets, readKeyFile, testIo } from "./support/cli.js";

const ROWS = 12;

describe("hush-server rotate-key, in-process", { timeout: 30_000 }, () => {
  let dir: string;
  const keyFile = () => readKeyFile(dir);
  const rotate = async (
    options: { retire?: boolean; batchSize?: string },
    env: NodeJS.ProcessEnv = {},
  ) => {
    const { io, stdout, stderr } = testIo(dir, env);
    const code = await rotateKey(options, io);
    return { code, stdout: stdout(), stderr: stderr() };
  };

  beforeEach(async () => {
    dir = testDir();
    await initWithSecrets(dir, ROWS);
  });

  it("adds a key, re-wraps every data key in batches, then retires the old key", async () => {
    const oldId = (await keyFile()).current;
    const rotated = await rotate({ batchSize: "5" });
    expect(rotated.code).toBe(0);
    const newId = (await keyFile()).current;
    expect(newId).not.toBe(oldId);
    expect(rotated.stdout).toContain(`Added master key ${newId}`);
    expect(rotated.stdout).toContain("Re-wrapped 5 data keys…");
    expect(rotated.stdout).toContain(`Done: re-wrapped ${ROWS} data keys`);
    expect(rotated.stdout).toContain("hush-server rotate-key --retire");
    const retired = await rotate({ retire: true });
    expect(retired.stdout).toContain(`Retired master key ${oldId}`);
    expect((await keyFile()).keys.map((k: { id: string }) => k.id)).toEqual([newId]);
    expect((await rotate({ retire: true })).stdout).toBe(
      "There is no older master key to retire.\n",
    );
  });

  it("with HUSH_MASTER_KEYS, re-wraps under its first key and never prints a key", async () => {
    const oldKey = (await keyFile()).keys[0].key as string;
    const newKey = Buffer.alloc(32, 9).toString("base64");
    const keysEnv = { HUSH_MASTER_KEYS: `${newKey},${oldKey}` };
    const rotated = await rotate({}, keysEnv);
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toContain(`re-wrapped ${ROWS} data keys`);
    expect(rotated.stdout + rotated.stderr).not.toContain(newKey);
    expect(rotated.stdout + rotated.stderr).not.toContain(oldKey);
    const again = await rotate({}, keysEnv);
    expect(again.stdout).toContain("put it first in HUSH_MASTER_KEYS");
    const retire = await rotate({ retire: true }, keysEnv);
    expect(retire.stdout).toContain("remove it from HUSH_MASTER_KEYS");
  });

  it("refuses a bad batch size, and a folder without a database", async () => {
    await expect(rotate({ batchSize: "0" })).rejects.toMatchObject({ exitCode: 2 });
    await expect(rotate({ batchSize: "100001" })).rejects.toMatchObject({ exitCode: 2 });
    dir = testDir();
    await expect(rotate({})).rejects.toThrow("Run hush-server init first");
  });
});
