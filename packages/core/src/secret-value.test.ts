import { describe, expect, it } from "vitest";
import { decodeValue, encodeValue } from "./secret-value.js";

describe("decodeValue (Prefect's json.loads rule)", () => {
  it.each([
    ["42", 42],
    ['"42"', "42"],
    ["true", true],
    ["null", null],
    ["[1,2]", [1, 2]],
    ['{"a":1}', { a: 1 }],
    ["5432", 5432],
    ["-7.5", -7.5],
    ['{"port": 5432, "ratio": 1.0, "big": 1e3}', { port: 5432, ratio: 1, big: 1000 }],
  ])("parses the JSON string %j", (raw, expected) => {
    expect(decodeValue(raw)).toEqual(expected);
  });

  it.each(["hello", "https://hooks.example/T0/B0", "", "{not json", "True", "NaN"])(
    "keeps the non-JSON string %j as it is",
    (raw) => {
      expect(decodeValue(raw)).toBe(raw);
    },
  );

  it.each([
    "12345678901234567890",
    "9007199254740993",
    "007",
    "1e3",
    "1.0",
    "-0",
    " 3.5 ",
    "+1",
    "1e400",
    '{"id": 12345678901234567890}',
    "[1, 0.30000000000000001]",
    '{"a": 1, "a": 2}',
  ])("keeps %j as text: decoding it would change what it says", (raw) => {
    expect(decodeValue(raw)).toBe(raw);
  });

  it("returns non-strings as they are, objects as mutable copies", () => {
    expect(decodeValue(7)).toBe(7);
    expect(decodeValue(false)).toBe(false);
    const frozen = Object.freeze({ user: "a", nested: Object.freeze({ port: 5432 }) });
    const copy = decodeValue(frozen) as { user: string; nested: { port: number } };
    expect(copy).toEqual(frozen);
    expect(Object.isFrozen(copy)).toBe(false);
    copy.nested.port = 1;
    expect(frozen.nested.port).toBe(5432);
  });
});

describe("encodeValue", () => {
  it("returns strings raw and serialises everything else as JSON", () => {
    expect(encodeValue('{"a":1}')).toBe('{"a":1}');
    expect(encodeValue("42")).toBe("42");
    expect(encodeValue(42)).toBe("42");
    expect(encodeValue({ a: [1, "x"] })).toBe('{"a":[1,"x"]}');
    expect(encodeValue(null)).toBe("null");
  });
});
