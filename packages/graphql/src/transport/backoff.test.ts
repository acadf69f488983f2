import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.js";

const backoff = { baseMs: 100, maxMs: 2000 };

describe("backoffDelay", () => {
  it("doubles from the base and stops at the cap", () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 10].map((retry) => backoffDelay(retry, backoff, () => 1));
    expect(ceilings).toEqual([100, 200, 400, 800, 1600, 2000, 2000]);
  });

  it("jitters over the upper half of the ceiling", () => {
    expect(backoffDelay(2, backoff, () => 0)).toBe(200);
    expect(backoffDelay(2, backoff, () => 0.5)).toBe(300);
    for (let i = 0; i < 100; i++) {
      const delay = backoffDelay(3, backoff);
      expect(delay).toBeGreaterThanOrEqual(400);
      expect(delay).toBeLessThanOrEqual(800);
    }
  });
});
