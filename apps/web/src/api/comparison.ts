import type { CompareEnvironmentsQuery } from "@hush/graphql/documents";
import type { SecretDifference } from "@hush/schema/types";

export type Comparison = CompareEnvironmentsQuery["compareEnvironments"];
export type ComparedSecret = Comparison["secrets"][number];

/** How a name stands between `from` and `to`, in words; the comparison never holds a value. */
export function differenceLabel(status: SecretDifference, from: string, to: string): string {
  switch (status) {
    case "SAME":
      return "Same value";
    case "DIFFERENT":
      return "Different values";
    case "MISSING_TO":
      return `Only in ${from}`;
    case "MISSING_FROM":
      return `Only in ${to}`;
  }
}

/** Whether copying from → to can change the name: `from` holds it, with a value `to` lacks. */
export function isCopyable(status: SecretDifference): boolean {
  return status === "MISSING_TO" || status === "DIFFERENT";
}

/** The names a promotion from → to would bring over: missing in `to` or different there. */
export function copyableNames(secrets: readonly ComparedSecret[]): string[] {
  return secrets.filter((secret) => isCopyable(secret.status)).map((secret) => secret.name);
}

/** The comparison in one sentence, e.g. "4 names: 1 the same, 2 different, 1 only in dev." */
export function comparisonSummary(comparison: Comparison): string {
  const { from, to, secrets } = comparison;
  if (secrets.length === 0) return `Neither ${from} nor ${to} holds a secret.`;
  if (comparison.equal) {
    return `${from} and ${to} are the same: ${plural(secrets.length, "secret")}, the same values.`;
  }
  const count = (status: SecretDifference) => secrets.filter((s) => s.status === status).length;
  const parts = [
    [count("SAME"), "the same"],
    [count("DIFFERENT"), "different"],
    [count("MISSING_TO"), `only in ${from}`],
    [count("MISSING_FROM"), `only in ${to}`],
  ] as const;
  const listed = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return `${plural(secrets.length, "name")}: ${listed.join(", ")}.`;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
