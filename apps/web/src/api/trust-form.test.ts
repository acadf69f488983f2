import { describe, expect, it } from "vitest";
import { claimsOf, ttlSecondsOf, ttlText } from "./trust-form.js";

describe("the trust form", () => {
  it("turns minutes into the API's seconds, refusing what the API would", () => {
    expect(ttlSecondsOf("15")).toBe(900);
    expect(ttlSecondsOf(" 720 ")).toBe(43_200);
    for (const wrong of ["0", "721", "1.5", "", "-3", "ten"]) {
      expect(() => ttlSecondsOf(wrong)).toThrow("a whole number of minutes from 1 to 720");
    }
  });

  it("keeps the claim rows filled in, trimmed, and names a half-filled one", () => {
    expect(
      claimsOf([
        { name: " repository_owner ", value: "acme " },
        { name: "", value: "" },
        { name: "ref", value: "refs/heads/*" },
      ]),
    ).toEqual([
      { name: "repository_owner", value: "acme" },
      { name: "ref", value: "refs/heads/*" },
    ]);
    expect(() =>
      claimsOf([
        { name: "a", value: "1" },
        { name: "workflow", value: " " },
      ]),
    ).toThrow("Claim 2 needs both a name and a value");
  });

  it("says a lifetime in minutes and hours", () => {
    expect(ttlText(900)).toBe("15 min");
    expect(ttlText(7200)).toBe("2 h");
    expect(ttlText(5400)).toBe("1 h 30 min");
  });
});
