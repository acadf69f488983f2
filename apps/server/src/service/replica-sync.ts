import type { Logger } from "pino";
import type { KeyRing } from "../crypto/key-ring.js";
import { reloadKeyRing, watchKeyRing } from "../crypto/watch-key-ring.js";
import { ChangeListener } from "../storage/change-listener.js";
import { ChangeFeed } from "./change-feed.js";

/**
 * Keeps a replica in step with the others and with `hush-server rotate-key`: on PostgreSQL it
 * listens for change notices (revoked tokens, a new master key), and a key-file ring is read
 * again when the file changes. `stop()` ends both.
 */
export async function syncReplicas(options: {
  databaseUrl: string | undefined;
  ring: KeyRing;
  keyFile: string | undefined;
  logger: Logger | undefined;
}): Promise<{ feed: ChangeFeed; stop(): Promise<void> }> {
  const { ring, logger } = options;
  const feed = new ChangeFeed();
  const stopWatching = watchKeyRing(ring, options.keyFile, logger);
  // Only a new master key, or notices that may have been missed, can change the ring: reading
  // it again on every other notice (each committed change sends one) cost every write.
  feed.on((kind) => {
    if (kind === "keys" || kind === "resync") reloadKeyRing(ring, logger);
  });
  const listener =
    options.databaseUrl === undefined
      ? undefined
      : new ChangeListener({ databaseUrl: options.databaseUrl, feed, logger });
  await listener?.start();
  return {
    feed,
    async stop() {
      stopWatching();
      await listener?.close();
    },
  };
}
