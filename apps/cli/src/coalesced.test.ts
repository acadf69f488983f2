import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Coalesced } from "./coalesced.js";

describe("Coalesced", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs once for a burst and never starts twice within a second", async () => {
    const starts: number[] = [];
    const coalesced = new Coalesced(
      async () => {
        starts.push(Date.now());
      },
      () => undefined,
    );
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) {
      coalesced.trigger();
      await vi.advanceTimersByTimeAsync(200);
    }
    await vi.advanceTimersByTimeAsync(5_000);
    expect(starts.length).toBe(2);
    expect((starts[0] as number) - t0).toBe(300);
    expect((starts[1] as number) - (starts[0] as number)).toBeGreaterThanOrEqual(1_000);
  });

  it("runs again after a trigger that came while it ran", async () => {
    let runs = 0;
    const coalesced = new Coalesced(
      async () => {
        runs += 1;
        if (runs === 1) coalesced.trigger();
        await new Promise((r) => setTimeout(r, 100));
      },
      () => undefined,
    );
    coalesced.trigger();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(runs).toBe(2);
  });

  it("tells of a failure and tries again with a growing wait", async () => {
    const failures: unknown[] = [];
    let runs = 0;
    const coalesced = new Coalesced(
      async () => {
        runs += 1;
        if (runs < 3) throw new Error(`failure ${runs}`);
      },
      (error) => failures.push(error),
    );
    coalesced.trigger();
    await vi.advanceTimersByTimeAsync(300);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(runs).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(3);
    expect(failures.map((e) => (e as Error).message)).toEqual(["failure 1", "failure 2"]);
    coalesced.stop();
  });
});
