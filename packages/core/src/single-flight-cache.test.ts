import { describe, expect, it } from "vitest";
import { SingleFlightCache } from "./single-flight-cache.js";

function clock() {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe("SingleFlightCache", () => {
  it("shares a pending promise and keeps the value for ttlMs after it settles", async () => {
    const time = clock();
    const cache = new SingleFlightCache<string>(100, time.now);
    let loads = 0;
    const load = async () => `v${++loads}`;
    const [a, b] = await Promise.all([cache.getOrLoad("k", load), cache.getOrLoad("k", load)]);
    expect([a, b, loads]).toEqual(["v1", "v1", 1]);
    time.advance(99);
    expect(await cache.getOrLoad("k", load)).toBe("v1");
    time.advance(1);
    expect(await cache.getOrLoad("k", load)).toBe("v2");
  });

  it("drops a rejected promise, so the next read loads again", async () => {
    const cache = new SingleFlightCache<string>(60_000, clock().now);
    await expect(cache.getOrLoad("k", () => Promise.reject(new Error("down")))).rejects.toThrow();
    expect(cache.get("k")).toBeUndefined();
    expect(await cache.getOrLoad("k", async () => "up")).toBe("up");
  });
});
