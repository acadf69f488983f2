import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MasterKeyError } from "./errors.js";
import { KEY_BYTES, KeyRing, type MasterKey, masterKeyId } from "./key-ring.js";

/** The key file's name inside the data folder. */
export const KEY_FILE_NAME = "master.key";

const GENERATE_HINT = "Generate one with: openssl rand -base64 32";

/** Where the master key came from, for logs and the `init` command. */
export type KeySource = "option" | "env" | "file" | "file-created";

/**
 * The key file holds a list so that rotation can add a key and re-wrap data keys, keeping older
 * keys readable until nothing refers to them.
 */
interface KeyFile {
  format: "hush-master-keys";
  version: 1;
  current: string;
  keys: Array<{ id: string; key: string; created: string }>;
}

function decodeKey(text: string, origin: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, "base64");
  // Buffer.from ignores junk, so compare the round trip to catch typos and truncation.
  const canonical = key.toString("base64");
  if (key.length !== KEY_BYTES || canonical.replace(/=+$/, "") !== trimmed.replace(/=+$/, "")) {
    throw new MasterKeyError(
      `${origin} must be the base64 encoding of exactly ${KEY_BYTES} random bytes. ${GENERATE_HINT}`,
    );
  }
  return key;
}

function readKeyFile(path: string): KeyRing {
  if (process.platform !== "win32") {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new MasterKeyError(
        `The master key file ${path} is readable by other users (mode ${mode.toString(8)}); ` +
          `restrict it with: chmod 600 ${path}`,
      );
    }
  }
  let parsed: KeyFile;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8")) as KeyFile;
  } catch (cause) {
    throw new MasterKeyError(
      `The master key file ${path} is not valid JSON; restore it from your backup.`,
      { cause },
    );
  }
  if (parsed?.format !== "hush-master-keys" || !Array.isArray(parsed.keys)) {
    throw new MasterKeyError(
      `The master key file ${path} is not a hush key file; restore it from your backup.`,
    );
  }
  const keys: MasterKey[] = parsed.keys.map((entry, index) => {
    const key = decodeKey(String(entry?.key ?? ""), `Key ${index + 1} in ${path}`);
    return { id: masterKeyId(key), key };
  });
  return new KeyRing(keys, parsed.current);
}

/**
 * Creates the key file with one new random key, readable by its owner only. Never overwrites:
 * losing a key loses every value it protects.
 */
export function createKeyFile(dataDir: string): { ring: KeyRing; path: string } {
  const path = join(dataDir, KEY_FILE_NAME);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(KEY_BYTES);
  const id = masterKeyId(key);
  const file: KeyFile = {
    format: "hush-master-keys",
    version: 1,
    current: id,
    keys: [{ id, key: key.toString("base64"), created: new Date().toISOString() }],
  };
  try {
    // "wx": never overwrite a key another process created meanwhile; losing a key loses data.
    writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      return { ring: readKeyFile(path), path };
    throw error;
  }
  return { ring: KeyRing.of(key), path };
}

/**
 * The server's master keys: the `masterKey` option, else `HUSH_MASTER_KEY`, else the key file
 * in the data folder. `ring` is undefined when there is no key file yet: the caller decides
 * whether creating one is safe (it is not when the database already holds values).
 */
export function loadKeyRing(options: {
  dataDir: string;
  masterKey?: string | undefined;
  env: NodeJS.ProcessEnv;
}): { ring: KeyRing | undefined; source: KeySource; path?: string } {
  if (options.masterKey !== undefined) {
    return { ring: KeyRing.of(decodeKey(options.masterKey, "The master key")), source: "option" };
  }
  const fromEnv = options.env.HUSH_MASTER_KEY;
  if (fromEnv !== undefined && fromEnv !== "") {
    return { ring: KeyRing.of(decodeKey(fromEnv, "HUSH_MASTER_KEY")), source: "env" };
  }
  const path = join(options.dataDir, KEY_FILE_NAME);
  let exists = true;
  try {
    statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    exists = false;
  }
  return { ring: exists ? readKeyFile(path) : undefined, source: "file", path };
}
