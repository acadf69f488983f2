import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateApiToken } from "../auth/api-token.js";
import {
  serializeValue,
  validateSecretName,
  validateTokenId,
  validateTokenName,
} from "./validation.js";

describe("secret names", () => {
  it("accepts exactly [A-Za-z0-9_.-]{1,255} not starting with a dot", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (name) => {
        const valid =
          /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,254}$/.test(name) &&
          !/hush_[A-Za-z0-9_-]{16,}/.test(name);
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

  it("refuses names holding something shaped like an API token, without echoing it", () => {
    const token = generateApiToken();
    for (const name of [token, `prod.${token}`, token.slice(0, 30)]) {
      expect(() => validateSecretName(name)).toThrow(/looks like an API token/);
      expect(() => validateSecretName(name)).toThrow(/^(?!.*hush_[A-Za-z0-9])/s);
    }
    expect(validateSecretName("hush_db_password")).toBe("hush_db_password");
    expect(validateSecretName("HUSH_DATABASE_PASSWORD_PRODUCTION")).toBe(
      "HUSH_DATABASE_PASSWORD_PRODUCTION",
    );
  });
});

describe("token names", () => {
  it("accepts readable names and refuses control characters and padding", () => {
    expect(validateTokenName("ci runner #2")).toBe("ci runner #2");
    for (const bad of ["", " x", "x ", "a\nb", "\u0000", "x".repeat(101), 42]) {
      expect(() => validateTokenName(bad)).toThrow(/token name/);
    }
  });

  it("refuses a token pasted as a token's name", () => {
    expect(() => validateTokenName(`ci ${generateApiToken()}`)).toThrow(/looks like an API token/);
  });
});

describe("token ids", () => {
  it("accepts the UUIDs apiTokens lists and refuses anything else without echoing it", () => {
    const id = "0190a4f2-5c3e-7b1a-8d2f-3e4c5b6a7d8e";
    expect(validateTokenId(id)).toBe(id);
    const token = generateApiToken();
    expect(() => validateTokenId(token)).toThrow(/That is an API token, not a token id/);
    for (const bad of [token, "", "x".repeat(36), `${id} `, id.toUpperCase(), 42, null]) {
      expect(() => validateTokenId(bad)).toThrow(/^(?!.*hush_[A-Za-z0-9])/s);
      expect(() => validateTokenId(bad)).toThrow(
        expect.objectContaining({ code: "BAD_USER_INPUT" }),
      );
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
