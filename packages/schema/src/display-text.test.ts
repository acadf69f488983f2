import { describe, expect, it } from "vitest";
import { escapeForDisplay, hasUnsafeDisplayChars } from "./display-text.js";

describe("display text", () => {
  it("finds controls, bidi and invisible format characters, and separators", () => {
    for (const char of [
      "\u0000",
      "\u001b",
      "\u007f",
      "\u0085",
      "\u009b",
      "\u200b",
      "\u200e",
      "\u202e",
      "\u2066",
      "\u2028",
      "\u2029",
      "\ufeff",
      "\u00ad",
      "\ud800",
      "\u{e0041}",
    ]) {
      expect(hasUnsafeDisplayChars(`a${char}b`), JSON.stringify(char)).toBe(true);
    }
    for (const text of ["ci-runner", "déploiement", "生产", "admin (2)", "a b", "🔑 keys"]) {
      expect(hasUnsafeDisplayChars(text), text).toBe(false);
    }
  });

  it("escapes them visibly and leaves the rest as it is", () => {
    expect(escapeForDisplay("evil\u202egnp.exe")).toBe("evil\\u202egnp.exe");
    expect(escapeForDisplay("a\u0085b\u001b[31m")).toBe("a\\u0085b\\u001b[31m");
    expect(escapeForDisplay("tag\u{e0041}")).toBe("tag\\u{e0041}");
    expect(escapeForDisplay("déploiement 🔑")).toBe("déploiement 🔑");
  });
});
