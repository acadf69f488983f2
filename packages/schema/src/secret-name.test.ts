import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { environmentNameError, SECRET_NAME_RULE, secretNameError } from "./secret-name.js";

describe("secret names", () => {
  it("accepts what the pattern accepts, unless it holds something token-like", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (name) => {
        const valid = SECRET_NAME_RULE.pattern.test(name) && !/hush_[A-Za-z0-9_-]{16,}/.test(name);
        expect(secretNameError(name) === undefined).toBe(valid);
      }),
    );
  });

  it("says which part of the rule a name breaks, never the name", () => {
    const rule = SECRET_NAME_RULE.message;
    expect(secretNameError(42)).toBe(`The secret name must be a string: ${rule}.`);
    expect(secretNameError("")).toBe(`The secret name is empty: ${rule}.`);
    expect(secretNameError("A".repeat(256))).toBe(
      `The secret name is 256 characters long: ${rule}.`,
    );
    expect(secretNameError("CANARY value", "tenant name")).toBe(
      `The tenant name contains a character that is not allowed: ${rule}.`,
    );
    expect(secretNameError(".env")).toBe(`The secret name starts with ".": ${rule}.`);
    expect(secretNameError(`x.hush_${"a".repeat(16)}`)).toMatch(
      /^The secret name looks like an API token \(hush_ followed by 16 or more/,
    );
    expect(secretNameError("hush_db_password")).toBeUndefined();
  });
});

describe("environmentNameError", () => {
  it("accepts lowercase names of 1 to 32 characters and refuses the rest without echoing them", () => {
    for (const good of ["production", "staging", "eu-west-1", "a", "x".repeat(32), "0"]) {
      expect(environmentNameError(good), good).toBeUndefined();
    }
    for (const bad of ["", "Prod", "-dev", "dev-", "x".repeat(33), "a_b", "a.b", "ünï", 7]) {
      const error = environmentNameError(bad);
      expect(error, String(bad)).toMatch(/^The environment name/);
      if (typeof bad === "string" && bad.length > 1) expect(error).not.toContain(bad);
    }
  });
});
