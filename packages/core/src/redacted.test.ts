import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Redacted } from "./redacted.js";

const CANARY = "canary-9f3b1c";

describe("Redacted", () => {
  it("prints <redacted> everywhere and reveals the value only through value()", () => {
    const secret = new Redacted({ password: CANARY });
    expect(String(secret)).toBe("<redacted>");
    expect(`${secret}`).toBe("<redacted>");
    expect(JSON.stringify({ secret })).toBe('{"secret":"<redacted>"}');
    expect(inspect(secret)).toBe("<redacted>");
    expect(inspect({ nested: [secret] }, { depth: 10, showHidden: true })).not.toContain(CANARY);
    expect(Object.keys(secret)).toEqual([]);
    expect({ ...secret }).toEqual({});
    expect(secret.value()).toEqual({ password: CANARY });
  });
});
