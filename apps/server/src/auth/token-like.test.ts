import { describe, expect, it } from "vitest";
import { generateApiToken } from "./api-token.js";
import { containsTokenLike, redactTokenLike } from "./token-like.js";

describe("token-like text", () => {
  it("finds real tokens and long parts of them, wherever they sit", () => {
    const token = generateApiToken();
    expect(containsTokenLike(token)).toBe(true);
    expect(containsTokenLike(`prod.${token}`)).toBe(true);
    expect(containsTokenLike(token.slice(0, 21))).toBe(true);
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
