import { describe, expect, it } from "vitest";
import { castEnvValue } from "./cast-env-value.js";

describe("castEnvValue", () => {
  it("casts true and false in any case to booleans", () => {
    for (const word of ["true", "True", "TRUE", "trUe"]) expect(castEnvValue(word)).toBe(true);
    for (const word of ["false", "False", "FALSE", "falSe"]) expect(castEnvValue(word)).toBe(false);
  });

  it("casts decimal numbers to numbers", () => {
    expect(castEnvValue("1")).toBe(1);
    expect(castEnvValue("-10")).toBe(-10);
    expect(castEnvValue("7.5")).toBe(7.5);
    expect(castEnvValue("-7.5")).toBe(-7.5);
    expect(castEnvValue("1e3")).toBe(1000);
    expect(castEnvValue("0")).toBe(0);
  });

  it("keeps digits that a number would change as text", () => {
    expect(castEnvValue("0123")).toBe("0123");
    expect(castEnvValue("12345678901234567890")).toBe("12345678901234567890");
    expect(castEnvValue("1e999")).toBe("1e999");
    expect(castEnvValue("0x10")).toBe("0x10");
    expect(castEnvValue(" 1")).toBe(" 1");
  });

  it("parses JSON objects and arrays", () => {
    expect(castEnvValue('{"ACCESS_KEY": "abc", "n": [1, 2]}')).toEqual({
      ACCESS_KEY: "abc",
      n: [1, 2],
    });
    expect(castEnvValue('[1, "two"]')).toEqual([1, "two"]);
    expect(castEnvValue('\n  {"a": 1}\n')).toEqual({ a: 1 });
  });

  it("keeps everything else exactly as given", () => {
    const values = [
      "x",
      "null",
      '"42"',
      "{not json}",
      "[unclosed",
      "line 1\nline 2\rand 3\tand 4",
      String.raw`line 1\nline 2`,
      // A JSON key file whose string holds a real newline is not JSON: it stays text, untouched.
      '{"private_key": "-----BEGIN\nKEY-----"}',
      "",
    ];
    for (const value of values) expect(castEnvValue(value)).toBe(value);
  });

  it("leaves JSON escape sequences to JSON, so a key file's \\n becomes its newline", () => {
    const keyFile = String.raw`{"private_key": "-----BEGIN\nKEY-----"}`;
    expect(castEnvValue(keyFile)).toEqual({ private_key: "-----BEGIN\nKEY-----" });
  });
});
