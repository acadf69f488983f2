import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
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
