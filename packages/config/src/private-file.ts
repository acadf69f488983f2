import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { ConfigError, ConfigErrorCode } from "./config-error.js";
import { displayPath } from "./error-site.js";

// Group or other may read or write: as ssh does for a private key, anything beyond 0600 (or 0400).
const OPEN_TO_OTHERS = 0o077;

/**
 * The text of a file that holds tokens, read only when no other user can read or write it: a
 * file with any group or other permission is refused with the `chmod 600` to run. The mode is
 * checked on the opened file, so the check and the read see the same file. Windows has no POSIX
 * modes: there the check is skipped.
 *
 * @throws ConfigError `FILE_TOO_OPEN`; the file system's error (with `code`) when it cannot be read.
 */
export function readPrivateFile(path: string, homeDir: string): string {
  const fd = openSync(path, "r");
  try {
    const mode = fstatSync(fd).mode & 0o777;
    if (process.platform !== "win32" && (mode & OPEN_TO_OTHERS) !== 0) {
      throw new ConfigError(
        ConfigErrorCode.FILE_TOO_OPEN,
        `${displayPath(path, homeDir)} holds API tokens but other users can ${(mode & 0o022) === 0 ? "read" : "read or change"} it (mode ${mode.toString(8).padStart(4, "0")}), so it is not used (if others may have read it, revoke its tokens and log in again). Run: chmod 600 ${shellWord(path)}`,
        { file: path },
      );
    }
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}

/** `path` as one word for a POSIX shell, quoted only when it needs to be. */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}

/**
 * A temp file's path beside `path`. It is opened with O_EXCL, so an existing file or link of that
 * name is never written through; its random part means another user cannot guess it and make the
 * write fail by creating the name first. (Math.random, not node:crypto: this runs at every CLI
 * start that writes, and loading node:crypto costs more than the whole write.)
 */
function tempPathFor(path: string): string {
  const random = Math.random().toString(36).slice(2, 12).padEnd(10, "0");
  return join(dirname(path), `.${basename(path)}.${process.pid}-${random}.tmp`);
}

/**
 * Replaces `path` with `data` atomically and durably: a temp file in the same folder, created with
 * `mode` (kept exactly, whatever the umask), written, fsync'd and renamed over it, then the folder
 * fsync'd. A reader sees the old file or the new one, never half of one, and a power loss keeps
 * one of them. When anything fails the temp file is removed and `path` is left as it was.
 */
export function writePrivateFileSync(path: string, data: string | Uint8Array, mode = 0o600): void {
  const temp = tempPathFor(path);
  try {
    writeSyncedFile(temp, data, mode);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  syncFolder(dirname(path));
}

/**
 * Creates `path` holding `data`, never over an existing file (the file system's `EEXIST`), and
 * makes it durable before returning: the file's data, then its folder's entry, are fsync'd. For a
 * file that must never be replaced by a racing writer, such as a key whose loss loses data.
 */
export function createPrivateFileSync(path: string, data: string | Uint8Array, mode = 0o600): void {
  writeSyncedFile(path, data, mode);
  syncFolder(dirname(path));
}

/** Creates `path` (O_EXCL) with `mode`, writes `data` and fsyncs it. */
function writeSyncedFile(path: string, data: string | Uint8Array, mode: number): void {
  const fd = openSync(path, "wx", mode);
  try {
    // The mode exactly, whatever the umask, on the file opened (never a name that could be swapped).
    fchmodSync(fd, mode);
    writeSync(fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsyncs a folder, so that a file created or renamed in it stays. */
function syncFolder(folder: string): void {
  // Windows cannot open a folder for this; its file system commits renames itself.
  if (process.platform === "win32") return;
  const fd = openSync(folder, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * {@link writePrivateFileSync} without blocking: the same steps through `node:fs/promises`, which
 * loads on the first call (a program that never writes does not pay for it).
 */
export async function writePrivateFile(
  path: string,
  data: string | Uint8Array,
  mode = 0o600,
): Promise<void> {
  const { open, rename, rm } = await import("node:fs/promises");
  const temp = tempPathFor(path);
  try {
    const handle = await open(temp, "wx", mode);
    try {
      await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  if (process.platform === "win32") return;
  const folder = await open(dirname(path), "r");
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
