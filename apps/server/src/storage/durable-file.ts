import { closeSync, fsyncSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/**
 * Creates `path` (mode 0600; never over an existing file: EEXIST) holding `text`, and makes it
 * durable before returning: the file's data, then its folder's entry, are fsync'd, so a power
 * loss right after cannot lose it. The key file is the one file whose loss loses every value.
 */
export function createDurableFile(path: string, text: string): void {
  createSyncedFile(path, text);
  syncFolder(dirname(path));
}

/**
 * Creates `path` as {@link createDurableFile} does, fsyncing its data but not its folder: for a
 * file renamed over another next, whose folder is fsync'd after the rename.
 */
export function createSyncedFile(path: string, text: string): void {
  const fd = openSync(path, "wx", 0o600);
  try {
    writeSync(fd, Buffer.from(text, "utf8"));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsyncs a folder, so that a file created or renamed in it stays. */
export function syncFolder(folder: string): void {
  // Windows cannot open a folder for this; its file system commits renames itself.
  if (process.platform === "win32") return;
  const fd = openSync(folder, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
