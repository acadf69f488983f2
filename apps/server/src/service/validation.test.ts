import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { serializeValue, validateSecretName, validateTokenName } from "./validation.js";

describe("secret names", () => {
  it("accepts exactly [A-Za-z0-9_.-]{1,255} not starting with a dot", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (name) => {
        const valid = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,254}$/.test(name);
        let accepted = true;
        try {
          validateSecretName(name);
        } catch (error) {
          accepted = false;
          expect((error as { code: string }).code).toBe("BAD_USER_INPUT");
        }
        expect(accepted).toBe(valid);
      }),
    );
  });

  it("never echoes the rejected name", () => {
    expect(() => validateSecretName("CANARY value")).toThrow(/^(?!.*CANARY)/s);
  });
});

describe("token names", () => {
  it("accepts readable names and refuses control characters and padding", () => {
    expect(validateTokenName("ci runner #2")).toBe("ci runner #2");
    for (const bad of ["", " x", "x ", "a\nb", "\u0000", "x".repeat(101), 42]) {
      expect(() => validateTokenName(bad)).toThrow(/token name/);
    }
  });
});

describe("values", () => {
  it("serialises JSON and measures it in UTF-8 bytes", () => {
    expect(serializeValue({ a: [1, "é"] }, 100).toString()).toBe('{"a":[1,"é"]}');
    // "é" is 2 bytes: the JSON string "éé" is 6 bytes.
    expect(serializeValue("éé", 6)).toHaveLength(6);
    expect(() => serializeValue("éé", 5)).toThrow("6 bytes");
  });
});
