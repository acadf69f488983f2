import { statSync } from "node:fs";
import { StorageError } from "./errors.js";

/**
 * Refuses a data folder that users other than its owner can write to (group or world write
 * bit): they could replace `master.key` or the database, or plant files the server then trusts.
 * A folder others can only read or enter is fine, since the files in it are 0600. A folder that
 * does not exist yet passes (it is created with mode 0700). Windows has no such modes: skipped.
 */
export function checkDataDirPermissions(dataDir: string): void {
  if (process.platform === "win32") return;
  let mode: number;
  try {
    mode = statSync(dataDir).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  if ((mode & 0o022) !== 0) {
    throw new StorageError(
      `The data folder ${dataDir} can be written by other users (mode ${mode.toString(8)}): they could replace its master key or database. Restrict it with: chmod 700 ${dataDir}`,
    );
  }
}
