import { describe, expect, it } from "vitest";
import { parseAuthorization } from "./parse-authorization.js";

const TOKEN = `hush_${"a1B2_-".repeat(7)}x`;

describe("parseAuthorization", () => {
  it("reads a bearer token, whatever the case of the scheme", () => {
    expect(parseAuthorization(`Bearer ${TOKEN}`)).toEqual({ kind: "bearer", token: TOKEN });
    expect(parseAuthorization(`bearer ${TOKEN}`)).toEqual({ kind: "bearer", token: TOKEN });
    expect(parseAuthorization(`BEARER  ${TOKEN}`)).toEqual({ kind: "bearer", token: TOKEN });
  });

  it("is none without a header", () => {
    expect(parseAuthorization(undefined)).toEqual({ kind: "none" });
  });

  it.each([
    "",
    "Bearer",
    `Bearer ${TOKEN} `,
    `Basic ${TOKEN}`,
    TOKEN,
    "Bearer hush_short",
    `Bearer ${TOKEN.replace("hush_", "hash_")}`,
    `Bearer ${TOKEN}!`,
    `Bearer ${TOKEN} ${TOKEN}`,
    `Bearer hush_${"a".repeat(300)}`,
  ])("is malformed for %j", (header) => {
    expect(parseAuthorization(header)).toEqual({ kind: "malformed" });
  });

  it("is malformed for a repeated header", () => {
    expect(parseAuthorization([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`])).toEqual({
      kind: "malformed",
    });
  });
});
