import { describe, expect, it } from "vitest";
import { fairShares, NAMES_PER_EVENT, secretsOfCall } from "./policy.js";
import { planCuts } from "./retention.js";

const shares = (counts: Record<string, number>, excess: number) =>
  Object.fromEntries(fairShares(new Map(Object.entries(counts)), excess));

describe("fairShares", () => {
  it("cuts one actor's flood before anyone else loses an event", () => {
    expect(shares({ flood: 10_000, admin: 30, runner: 200 }, 5000)).toEqual({ flood: 5000 });
    // Down to the others' level, and then evenly.
    expect(shares({ flood: 300, admin: 30, runner: 200 }, 150)).toEqual({ flood: 125, runner: 25 });
  });

  it("takes exactly the excess, from the largest first when they tie", () => {
    const cut = shares({ a: 5, b: 5, c: 1 }, 3);
    expect(Object.values(cut).reduce((x, y) => x + y, 0)).toBe(3);
    expect(cut.c).toBeUndefined();
    expect(shares({ a: 3, b: 1 }, 0)).toEqual({});
    expect(shares({ a: 3, b: 1 }, 10)).toEqual({ a: 3, b: 1 });
  });
});

describe("planCuts", () => {
  it("keeps refusals within their share, then cuts the busiest actors, refusals first", () => {
    const plan = planCuts(
      [
        { actor: "flood", refusals: 5000, others: 0 },
        { actor: "admin", refusals: 2, others: 50 },
        { actor: "runner", refusals: 0, others: 9000 },
      ],
      1000,
    );
    expect(Object.fromEntries(plan)).toEqual({
      // Refusals may hold 100: the flood keeps 98 beside the admin's 2.
      flood: { refusals: 5000 - 98, others: 0 },
      // Then 1000 in all: the runner keeps 850, and nobody else loses an event.
      runner: { refusals: 0, others: 9000 - 850 },
    });
  });
});

describe("secretsOfCall", () => {
  it("keeps one name as is, and the first names of more with their count", () => {
    expect(secretsOfCall(["A"])).toEqual({
      secretName: "A",
      secretNames: null,
      secretNameCount: null,
    });
    const many = Array.from({ length: 1000 }, (_, i) => `N${i}`);
    expect(secretsOfCall(many)).toEqual({
      secretName: null,
      secretNames: many.slice(0, NAMES_PER_EVENT),
      secretNameCount: 1000,
    });
  });
});
