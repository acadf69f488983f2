import { type Stats, unwatchFile, watchFile } from "node:fs";
import type { Logger } from "pino";
import type { KeyRing } from "./key-ring.js";

// A stat of the key file per interval: cheap, and works where file events do not (network and
// container-mounted volumes).
const POLL_MS = 1000;

/** Reads the ring's source again; a failure keeps the keys loaded and is logged. */
export function reloadKeyRing(ring: KeyRing, logger: Logger | undefined): void {
  try {
    if (ring.reload()) logger?.info({ keyRing: ring }, "master keys reloaded");
  } catch (error) {
    logger?.error(
      { err: { message: (error as Error).message } },
      "cannot reload the master keys; keeping the ones loaded",
    );
  }
}

/**
 * Reloads a key-file ring when the file changes (a rotation or a retirement by
 * `hush-server rotate-key`), so that servers learn a new key without a restart. Returns the
 * function that stops watching.
 */
export function watchKeyRing(
  ring: KeyRing,
  path: string | undefined,
  logger: Logger | undefined,
): () => void {
  if (!ring.reloadable || path === undefined) return () => {};
  const onChange = (now: Stats, before: Stats) => {
    if (now.mtimeMs !== before.mtimeMs || now.ino !== before.ino) reloadKeyRing(ring, logger);
  };
  watchFile(path, { interval: POLL_MS, persistent: false }, onChange);
  return () => unwatchFile(path, onChange);
}
