import { describe, expect, it } from "vitest";
import { newId } from "./new-id.js";

describe("newId", () => {
  it("makes unique UUIDv7-shaped ids that sort in creation order, even within a millisecond", () => {
    const ids = Array.from({ length: 5_000 }, () => newId(1_800_000_000_000));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids.slice(0, 10)) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(newId(1_800_000_000_001) > ids.at(-1)!).toBe(true);
  });
});
