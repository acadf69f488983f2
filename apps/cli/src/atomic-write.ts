import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Replaces `path` with `text` atomically: a temp file in the same folder, written, fsync'd and
 * renamed over it, so a reader sees the old file or the new one, never half of one. The temp file
 * is created with `mode` (a fresh file's mode is not widened by the umask later) and removed when
 * anything fails, leaving `path` as it was.
 */
export function writeFileAtomic(path: string, text: string, mode: number): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, "wx", mode);
    writeSync(fd, text);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
}
