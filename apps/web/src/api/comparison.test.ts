import { describe, expect, it } from "vitest";
import {
  type Comparison,
  comparisonSummary,
  copyableNames,
  differenceLabel,
} from "./comparison.js";

const comparison: Comparison = {
  from: "staging",
  to: "production",
  equal: false,
  secrets: [
    { name: "API_KEY", status: "DIFFERENT" },
    { name: "DB_URL", status: "SAME" },
    { name: "NEW_FLAG", status: "MISSING_TO" },
    { name: "OLD_FLAG", status: "MISSING_FROM" },
    { name: "SENTRY_DSN", status: "MISSING_TO" },
  ],
};

describe("comparing two environments", () => {
  it("names the environment a missing name is in: MISSING_TO is in from, MISSING_FROM in to", () => {
    expect(differenceLabel("MISSING_TO", "staging", "production")).toBe("Only in staging");
    expect(differenceLabel("MISSING_FROM", "staging", "production")).toBe("Only in production");
    expect(differenceLabel("SAME", "a", "b")).toBe("Same value");
    expect(differenceLabel("DIFFERENT", "a", "b")).toBe("Different values");
  });

  it("promotes what from holds and to lacks or holds otherwise, never what only to holds", () => {
    expect(copyableNames(comparison.secrets)).toEqual(["API_KEY", "NEW_FLAG", "SENTRY_DSN"]);
  });

  it("sums the comparison up in one sentence", () => {
    expect(comparisonSummary(comparison)).toBe(
      "5 names: 1 the same, 1 different, 2 only in staging, 1 only in production.",
    );
    expect(
      comparisonSummary({
        ...comparison,
        equal: true,
        secrets: [{ name: "A", status: "SAME" }],
      }),
    ).toBe("staging and production are the same: 1 secret, the same values.");
    expect(comparisonSummary({ ...comparison, equal: true, secrets: [] })).toBe(
      "Neither staging nor production holds a secret.",
    );
  });
});
