import { type FSWatcher, unwatchFile, watch, watchFile } from "node:fs";
import { basename, dirname } from "node:path";

/** How often the poll fallback looks at the file. */
const POLL_MS = 1_000;

/**
 * Calls `changed` when the file at `path` changes, also when an editor replaces it (a rename
 * over it): its folder is watched for its name. Where the platform cannot watch (some network
 * and container file systems), the file is polled instead. Returns the function that stops.
 */
export function watchFileChanges(path: string, changed: () => void): () => void {
  const name = basename(path);
  let watcher: FSWatcher | undefined;
  let polling = false;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
      if (file === null || file === name) changed();
    });
    watcher.on("error", () => {
      watcher?.close();
      watcher = undefined;
      poll();
    });
  } catch {
    poll();
  }
  function poll() {
    polling = true;
    watchFile(path, { interval: POLL_MS, persistent: false }, (now, before) => {
      if (now.mtimeMs !== before.mtimeMs || now.size !== before.size) changed();
    });
  }
  return () => {
    watcher?.close();
    if (polling) unwatchFile(path);
  };
}
