import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { containsTokenLike, isApiTokenShaped, redactTokenLike } from "./token-shape.js";

/** A token as the server issues them. */
const newToken = () => `hush_${randomBytes(32).toString("base64url")}`;

describe("the API token's shape", () => {
  it("is hush_ and 43 base64url characters", () => {
    expect(isApiTokenShaped(newToken())).toBe(true);
    expect(isApiTokenShaped(`hush_${"A".repeat(42)}`)).toBe(false);
    expect(isApiTokenShaped(`hush_${"A".repeat(44)}`)).toBe(false);
    expect(isApiTokenShaped(` ${newToken()}`)).toBe(false);
    expect(isApiTokenShaped(`hush_${"A".repeat(42)}+`)).toBe(false);
  });
});

describe("token-like text", () => {
  it("finds real tokens and long parts of them, wherever they sit", () => {
    const token = newToken();
    expect(containsTokenLike(token)).toBe(true);
    expect(containsTokenLike(`prod.${token}`)).toBe(true);
    expect(containsTokenLike(token.slice(0, 21))).toBe(true);
    expect(containsTokenLike(token.slice(0, 20))).toBe(false);
    expect(redactTokenLike(`The secret ${token} was not found; nor ${token}.`)).toBe(
      "The secret hush_… was not found; nor hush_….",
    );
  });

  it("leaves ordinary names alone", () => {
    for (const name of ["HUSH_DB_PASSWORD", "hush_db", "hush_", "prod.hush.key", "my_hush_key"]) {
      expect(containsTokenLike(name)).toBe(false);
      expect(redactTokenLike(name)).toBe(name);
    }
  });
});
