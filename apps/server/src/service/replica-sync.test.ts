import { expect, it } from "vitest";
import type { KeyRing } from "../crypto/key-ring.js";
import { syncReplicas } from "./replica-sync.js";

it("reads the key ring again for a new key or missed notices only, not for every change", async () => {
  let reloads = 0;
  const ring = {
    reload: () => {
      reloads++;
      return false;
    },
  } as unknown as KeyRing;
  const { feed, stop } = await syncReplicas({
    databaseUrl: undefined,
    ring,
    keyFile: undefined,
    logger: undefined,
  });
  feed.emit("changes", "tenant-1");
  feed.emit("tokens");
  feed.emit("environments");
  expect(reloads).toBe(0);
  feed.emit("keys");
  expect(reloads).toBe(1);
  feed.setLive(false);
  feed.setLive(true); // a resync: notices may have been missed
  expect(reloads).toBe(2);
  await stop();
});
