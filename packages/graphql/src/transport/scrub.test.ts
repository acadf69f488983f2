import { describe, expect, it } from "vitest";
import { scrub, sensitiveStrings } from "./scrub.js";

describe("scrub", () => {
  it("replaces every occurrence of each secret", () => {
    expect(scrub("a hunter22 b hunter22", ["hunter22"])).toBe("a <redacted> b <redacted>");
    expect(scrub("nothing here", ["hunter22", ""])).toBe("nothing here");
    // A short "secret" would turn ordinary words into placeholders.
    expect(scrub("this token's role", ["tok"])).toBe("this token's role");
  });

  it("finds the long strings and numbers of a JSON value, and its JSON text", () => {
    const secrets = sensitiveStrings({ user: "admin", password: "correct-horse", pin: 12345678 });
    expect(secrets).toContain("correct-horse");
    expect(secrets).toContain("12345678");
    expect(secrets).not.toContain("admin");
    expect(secrets[0]).toBe('{"user":"admin","password":"correct-horse","pin":12345678}');
    expect(sensitiveStrings("short")).toEqual([]);
    expect(sensitiveStrings(["long enough"])).toEqual(['["long enough"]', "long enough"]);
  });
});
