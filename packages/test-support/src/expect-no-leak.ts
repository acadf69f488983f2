import { inspect } from "node:util";
import { expect } from "vitest";

/**
 * Every way an error is usually shown (message, stack, `String()`, `util.inspect` to any depth,
 * JSON of all its own properties): none may contain any of `hidden` (values, tokens).
 */
export function expectNoLeak(error: unknown, ...hidden: string[]): void {
  expect(error).toBeInstanceOf(Error);
  const err = error as Error;
  const shown = [
    err.message,
    err.stack ?? "",
    String(err),
    inspect(err, { depth: Number.POSITIVE_INFINITY }),
    JSON.stringify(err, Object.getOwnPropertyNames(err)),
  ].join("\n");
  for (const text of hidden) expect(shown).not.toContain(text);
}
