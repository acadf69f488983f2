import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MasterKeyError } from "./errors.js";
import { masterKeyId } from "./key-ring.js";
import { addKeyToFile, createKeyFile, loadKeyRing, removeKeysFromFile } from "./load-key-ring.js";

describe("loading the master key", () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), "hush-keys-"));
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("prefers the option, then HUSH_MASTER_KEY, then the key file", () => {
    const a = randomBytes(32);
    const b = randomBytes(32);
    const env = { HUSH_MASTER_KEY: b.toString("base64") };
    const fromOption = loadKeyRing({ dataDir, masterKey: a.toString("base64"), env });
    expect(fromOption).toMatchObject({ source: "option" });
    expect(fromOption.ring?.current.id).toBe(masterKeyId(a));
    const fromEnv = loadKeyRing({ dataDir, env });
    expect(fromEnv.ring?.current.id).toBe(masterKeyId(b));
    expect(loadKeyRing({ dataDir, env: {} })).toMatchObject({ ring: undefined, source: "file" });
  });

  it("creates a 0600 key file that can hold several keys, and reads it back", () => {
    const { ring, path } = createKeyFile(dataDir);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(path, "utf8"));
    expect(file).toMatchObject({
      format: "hush-master-keys",
      version: 1,
      current: ring.current.id,
    });
    expect(file.keys).toHaveLength(1);
    expect(loadKeyRing({ dataDir, env: {} }).ring?.current.id).toBe(ring.current.id);
    // Never overwritten: a second create reads the existing key.
    expect(createKeyFile(dataDir).ring.current.id).toBe(ring.current.id);
  });

  it("reads a rotated key file: every key usable, the current one chosen", () => {
    const [older, newer] = [randomBytes(32), randomBytes(32)];
    const path = join(dataDir, "master.key");
    const entry = (key: Buffer) => ({
      id: masterKeyId(key),
      key: key.toString("base64"),
      created: "",
    });
    writeFileSync(
      path,
      JSON.stringify({
        format: "hush-master-keys",
        version: 1,
        current: masterKeyId(newer),
        keys: [entry(older), entry(newer)],
      }),
      { mode: 0o600 },
    );
    const { ring } = loadKeyRing({ dataDir, env: {} });
    expect(ring?.current.id).toBe(masterKeyId(newer));
    expect(ring?.get(masterKeyId(older))?.key).toEqual(older);
  });

  it("refuses a key file others can read, saying chmod 600", () => {
    const { path } = createKeyFile(dataDir);
    chmodSync(path, 0o640);
    expect(() => loadKeyRing({ dataDir, env: {} })).toThrow(`chmod 600 ${path}`);
  });

  it("refuses a damaged key file without printing it", () => {
    const path = join(dataDir, "master.key");
    writeFileSync(path, "CANARY-not-json", { mode: 0o600 });
    const error = (() => {
      try {
        loadKeyRing({ dataDir, env: {} });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(MasterKeyError);
    expect(error?.message).not.toContain("CANARY");
  });

  it.each([
    ["too short", randomBytes(16).toString("base64")],
    ["too long", randomBytes(33).toString("base64")],
    ["not base64", "!".repeat(44)],
    ["truncated", randomBytes(32).toString("base64").slice(0, 40)],
  ])("refuses a HUSH_MASTER_KEY that is %s, saying how to make one", (_, value) => {
    expect(() => loadKeyRing({ dataDir, env: { HUSH_MASTER_KEY: value } })).toThrow(
      "openssl rand -base64 32",
    );
  });

  it("reads a ring from HUSH_MASTER_KEYS: the first key is current, labels must match", () => {
    const [newer, older] = [randomBytes(32), randomBytes(32)];
    const list = `${newer.toString("base64")}, ${masterKeyId(older)}:${older.toString("base64")}`;
    const { ring, source } = loadKeyRing({ dataDir, env: { HUSH_MASTER_KEYS: list } });
    expect(source).toBe("env");
    expect(ring?.current.id).toBe(masterKeyId(newer));
    expect(ring?.get(masterKeyId(older))?.key.equals(older)).toBe(true);
    expect(ring?.reloadable).toBe(false);

    const mislabelled = `${masterKeyId(newer)}:${older.toString("base64")}`;
    expect(() => loadKeyRing({ dataDir, env: { HUSH_MASTER_KEYS: mislabelled } })).toThrow(
      "the label belongs to another key",
    );
    const twice = `${older.toString("base64")},${older.toString("base64")}`;
    expect(() => loadKeyRing({ dataDir, env: { HUSH_MASTER_KEYS: twice } })).toThrow(
      "the same key twice",
    );
    expect(() =>
      loadKeyRing({
        dataDir,
        env: { HUSH_MASTER_KEY: newer.toString("base64"), HUSH_MASTER_KEYS: list },
      }),
    ).toThrow("set only one");
  });

  it("never prints a key of HUSH_MASTER_KEYS in its errors", () => {
    const key = randomBytes(32).toString("base64");
    try {
      loadKeyRing({ dataDir, env: { HUSH_MASTER_KEYS: `${key},${key.slice(0, 20)}` } });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain("Key 2 of HUSH_MASTER_KEYS");
      expect((error as Error).message).not.toContain(key.slice(0, 20));
    }
  });

  it("learns a key added to the file while it runs, and keeps it 0600", () => {
    const { ring, path } = createKeyFile(dataDir);
    const firstId = ring.current.id;
    const newId = addKeyToFile(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    // A row naming the new key makes the ring read the file again.
    expect(ring.get(newId)).toBeDefined();
    expect(ring.current.id).toBe(newId);
    expect(ring.ids.sort()).toEqual([firstId, newId].sort());

    expect(() => removeKeysFromFile(path, [newId])).toThrow("cannot be retired");
    removeKeysFromFile(path, [firstId]);
    expect(ring.reload()).toBe(true);
    expect(ring.ids).toEqual([newId]);
    expect(ring.get(firstId)).toBeUndefined();
  });
});
