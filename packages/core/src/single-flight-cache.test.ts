import { describe, expect, it } from "vitest";
import { SingleFlightCache } from "./single-flight-cache.js";

function clock() {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** A load that counts its calls and can be made to fail. */
function loader() {
  const state = { loads: 0, fail: false };
  const load = async () => {
    state.loads++;
    if (state.fail) throw new Error("down");
    return `v${state.loads}`;
  };
  return Object.assign(state, { load });
}

describe("SingleFlightCache", () => {
  it("shares a pending load and keeps the value for ttlMs after it arrives", async () => {
    const time = clock();
    const cache = new SingleFlightCache<string>(100, 0, time.now);
    const l = loader();
    const [a, b] = await Promise.all([cache.get("k", l.load), cache.get("k", l.load)]);
    expect([a, b, l.loads]).toEqual(["v1", "v1", 1]);
    time.advance(99);
    expect(await cache.get("k", l.load)).toBe("v1");
    time.advance(1);
    expect(await cache.get("k", l.load)).toBe("v2");
  });

  it("drops a failed load, so the next read loads again", async () => {
    const cache = new SingleFlightCache<string>(60_000, 0, clock().now);
    await expect(cache.get("k", () => Promise.reject(new Error("down")))).rejects.toThrow();
    expect(cache.peek("k", async () => "x")).toBeUndefined();
    expect(await cache.get("k", async () => "up")).toBe("up");
  });

  it("returns a stale value at once and refreshes it with one background load", async () => {
    const time = clock();
    const cache = new SingleFlightCache<string>(100, 1_000, time.now);
    const l = loader();
    expect(await cache.get("k", l.load)).toBe("v1");
    time.advance(150);
    const stale = await Promise.all([1, 2, 3].map(() => cache.get("k", l.load)));
    expect(stale).toEqual(["v1", "v1", "v1"]);
    expect(l.loads).toBe(2);
    await Promise.resolve();
    expect(await cache.get("k", l.load)).toBe("v2");
    expect(l.loads).toBe(2);
  });

  it("keeps the stale value through failed refreshes until stale_ttl ends", async () => {
    const time = clock();
    const cache = new SingleFlightCache<string>(100, 1_000, time.now);
    const l = loader();
    await cache.get("k", l.load);
    l.fail = true;
    time.advance(500);
    expect(await cache.get("k", l.load)).toBe("v1");
    await new Promise((resolve) => setImmediate(resolve));
    time.advance(599);
    expect(await cache.get("k", l.load)).toBe("v1");
    await new Promise((resolve) => setImmediate(resolve));
    time.advance(1);
    await expect(cache.get("k", l.load)).rejects.toThrow("down");
  });

  it("with a ttl of 0 and a stale window, serves the last value and refreshes every read", async () => {
    const cache = new SingleFlightCache<string>(0, 60_000, clock().now);
    const l = loader();
    expect(await cache.get("k", l.load)).toBe("v1");
    expect(await cache.get("k", l.load)).toBe("v1");
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get("k", l.load)).toBe("v2");
  });
});
