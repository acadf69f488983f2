import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createPrivateFileSync, writePrivateFileSync } from "@hush/config/private-file";
import { checkDataDirPermissions } from "../storage/data-dir-permissions.js";
import { MasterKeyError } from "./errors.js";
import {
  KEY_BYTES,
  KeyRing,
  type KeyRingContents,
  type MasterKey,
  masterKeyId,
} from "./key-ring.js";

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

function readKeyFile(path: string): KeyFile {
  if (process.platform !== "win32") {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new MasterKeyError(
        `The master key file ${path} can be read or written by other users (mode ${mode.toString(8)}); ` +
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
  return parsed;
}

function contentsOf(file: KeyFile, path: string): KeyRingContents {
  const keys: MasterKey[] = file.keys.map((entry, index) => {
    const key = decodeKey(String(entry?.key ?? ""), `Key ${index + 1} in ${path}`);
    return { id: masterKeyId(key), key };
  });
  return { keys, currentId: file.current };
}

/** A ring over the key file that reloads from it. */
function keyFileRing(path: string): KeyRing {
  return KeyRing.loaded(() => contentsOf(readKeyFile(path), path));
}

// Written beside the file, fsync'd, and renamed over it (the folder fsync'd too): a reader sees
// the old file or the new one, never half of one, and a power loss keeps one of them.
function replaceKeyFile(path: string, file: KeyFile): void {
  writePrivateFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}

/**
 * Adds a new random key to the key file and makes it current; the older keys stay, so that
 * values wrapped by them stay readable until they are re-wrapped. Returns the new key's id.
 */
export function addKeyToFile(path: string): string {
  const file = readKeyFile(path);
  const key = randomBytes(KEY_BYTES);
  const id = masterKeyId(key);
  replaceKeyFile(path, {
    ...file,
    current: id,
    keys: [...file.keys, { id, key: key.toString("base64"), created: new Date().toISOString() }],
  });
  return id;
}

/** Removes keys from the key file; never the current one. */
export function removeKeysFromFile(path: string, ids: readonly string[]): void {
  const file = readKeyFile(path);
  if (ids.includes(file.current)) {
    throw new MasterKeyError(`The current master key ${file.current} cannot be retired.`);
  }
  const { keys } = contentsOf(file, path);
  const kept = file.keys.filter((_entry, index) => !ids.includes(keys[index]!.id));
  replaceKeyFile(path, { ...file, keys: kept });
}

/**
 * Parses `HUSH_MASTER_KEYS`: comma-separated keys, the current one first, each the base64 of 32
 * random bytes, optionally preceded by its id and a colon (`3f2a…:base64,…`) so that an operator
 * can tell them apart; a given id must match the key.
 */
export function parseKeyList(text: string, origin = "HUSH_MASTER_KEYS"): KeyRingContents {
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (entries.length === 0) {
    throw new MasterKeyError(
      `${origin} holds no key: give the keys separated by commas, the current one first. ${GENERATE_HINT}`,
    );
  }
  const keys = entries.map((entry, index): MasterKey => {
    const colon = entry.indexOf(":");
    const given = colon === -1 ? undefined : entry.slice(0, colon);
    const where = `Key ${index + 1} of ${origin}`;
    const key = decodeKey(colon === -1 ? entry : entry.slice(colon + 1), where);
    const id = masterKeyId(key);
    if (given !== undefined && given !== id) {
      throw new MasterKeyError(
        `${where} is labelled ${given}, but its id is ${id}: the label belongs to another key. Fix the label or leave it out.`,
      );
    }
    return { id, key };
  });
  if (new Set(keys.map((k) => k.id)).size !== keys.length) {
    throw new MasterKeyError(`${origin} lists the same key twice; give each key once.`);
  }
  return { keys };
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
    createPrivateFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      return { ring: keyFileRing(path), path };
    throw error;
  }
  return { ring: keyFileRing(path), path };
}

/**
 * The server's master keys: the `masterKey` option, else `HUSH_MASTER_KEY` (one key), else
 * `HUSH_MASTER_KEYS` (a ring, see {@link parseKeyList}), else the key file in the data folder.
 * `ring` is undefined when there is no key file yet: the caller decides whether creating one is
 * safe (it is not when the database already holds values).
 */
export function loadKeyRing(options: {
  dataDir: string;
  masterKey?: string | undefined;
  env: NodeJS.ProcessEnv;
}): { ring: KeyRing | undefined; source: KeySource; path?: string } {
  if (options.masterKey !== undefined) {
    return { ring: KeyRing.of(decodeKey(options.masterKey, "The master key")), source: "option" };
  }
  const single = options.env.HUSH_MASTER_KEY || undefined;
  const list = options.env.HUSH_MASTER_KEYS || undefined;
  if (single !== undefined && list !== undefined) {
    throw new MasterKeyError(
      "Both HUSH_MASTER_KEY and HUSH_MASTER_KEYS are set; set only one (HUSH_MASTER_KEYS holds every key, the current one first).",
    );
  }
  if (single !== undefined) {
    return { ring: KeyRing.of(decodeKey(single, "HUSH_MASTER_KEY")), source: "env" };
  }
  if (list !== undefined) {
    const { keys } = parseKeyList(list);
    return { ring: new KeyRing(keys), source: "env" };
  }
  checkDataDirPermissions(options.dataDir);
  const path = join(options.dataDir, KEY_FILE_NAME);
  let exists = true;
  try {
    statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    exists = false;
  }
  return { ring: exists ? keyFileRing(path) : undefined, source: "file", path };
}
