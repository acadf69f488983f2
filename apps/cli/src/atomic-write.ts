import { chmodSync, closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

let written = 0;

/**
 * Replaces `path` with `text` atomically: a temp file in the same folder, written, fsync'd and
 * renamed over it, so a reader sees the old file or the new one, never half of one. The temp file
 * is created with `mode` (a fresh file's mode is not widened by the umask later) and removed when
 * anything fails, leaving `path` as it was. The temp file's name needs only be unique: it is
 * opened with O_EXCL, so an existing file or link of that name is never written through.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array, mode: number): void {
  const unique = `${process.pid}.${Date.now().toString(36)}.${++written}`;
  const temp = join(dirname(path), `.${basename(path)}.${unique}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, "wx", mode);
    writeSync(fd, typeof text === "string" ? Buffer.from(text, "utf8") : text);
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
