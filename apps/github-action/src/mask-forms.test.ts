import { describe, expect, it } from "vitest";
import { exportedText, maskForms } from "./mask-forms.js";

describe("maskForms", () => {
  it("masks a one-line value and its JSON-string form", () => {
    expect(maskForms('say "hi"')).toEqual(['say "hi"', String.raw`say \"hi\"`]);
    expect(maskForms("plain")).toEqual(["plain"]);
  });

  it("masks each non-blank line of a multi-line value, as it is and trimmed", () => {
    expect(maskForms("first\r\n  second  \n\n   \nthird")).toEqual([
      "first\r\n  second  \n\n   \nthird",
      String.raw`first\r\n  second  \n\n   \nthird`,
      "first",
      "  second  ",
      "third",
      "second",
    ]);
  });

  it("masks an object's JSON text and each string in it, not its keys", () => {
    const forms = maskForms({ user: "bot", nested: [{ password: "p\nw" }] });
    expect(forms).toContain('{"user":"bot","nested":[{"password":"p\\nw"}]}');
    expect(forms).toContain("bot");
    expect(forms).toContain("p\nw");
    expect(forms).toContain("p\\nw");
    expect(forms).not.toContain("user");
    expect(forms).not.toContain("password");
  });

  it("masks nothing blank", () => {
    expect(maskForms("")).toEqual([]);
    expect(maskForms(" \n ")).toEqual([]);
  });
});

describe("exportedText", () => {
  it("keeps a string and JSON-encodes anything else", () => {
    expect(exportedText("a\nb")).toBe("a\nb");
    expect(exportedText(42)).toBe("42");
    expect(exportedText(true)).toBe("true");
    expect(exportedText(null)).toBe("null");
    expect(exportedText({ a: [1] })).toBe('{"a":[1]}');
  });
});
