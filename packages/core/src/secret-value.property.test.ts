import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeValue } from "./secret-value.js";

/**
 * The text a JSON value prints as (`String(value)`). An object fast-check makes may have no
 * prototype, or a key named `toString`, where String() throws; it prints as a plain object would.
 */
function printed(value: unknown): string {
  try {
    return String(value);
  } catch {
    return "[object Object]";
  }
}

/** Every number in `value`, depth first. */
function numbersIn(value: unknown): number[] {
  if (typeof value === "number") return [value];
  if (value === null || typeof value !== "object") return [];
  return Object.values(value).flatMap(numbersIn);
}

describe("decodeValue never loses information (property)", () => {
  it("returns a string unchanged, or the value JSON.parse gives for it", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map(printed)), (text) => {
        const decoded = decodeValue(text);
        if (typeof decoded === "string" && decoded === text) return;
        expect(decoded).toEqual(JSON.parse(text));
      }),
    );
  });

  it("turns a text into a number only when the number prints back as that text", () => {
    const numeric = fc.oneof(
      fc.bigInt().map(String),
      fc.double({ noNaN: true }).map(String),
      fc.stringMatching(/^-?(0|[1-9]\d{0,25})(\.\d{1,20})?([eE][+-]?\d{1,3})?$/),
      fc.stringMatching(/^[-+]?0\d{1,6}$/),
    );
    fc.assert(
      fc.property(numeric, (text) => {
        const decoded = decodeValue(text);
        if (typeof decoded === "number") expect(String(decoded)).toBe(text);
        else expect(decoded).toBe(text);
      }),
    );
  });

  it("decodes every number a JavaScript program prints, as Prefect did", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(decodeValue(String(n))).toBe(Number(String(n)));
      }),
    );
  });

  it("keeps a JSON text whose integers a number cannot hold as the text", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.bigInt()), (record) => {
        const text = `{${Object.entries(record)
          .map(([key, n]) => `${JSON.stringify(key)}: ${n}`)
          .join(", ")}}`;
        const decoded = decodeValue(text);
        if (typeof decoded === "string") {
          expect(decoded).toBe(text);
          expect(Object.values(record).some((n) => !Number.isSafeInteger(Number(n)))).toBe(true);
          return;
        }
        const exact = Object.values(record);
        expect(numbersIn(decoded).map((n) => BigInt(n))).toEqual(exact);
      }),
    );
  });

  it("decodes the JSON any JavaScript value serialises to", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(decodeValue(text)).toEqual(JSON.parse(text));
      }),
    );
  });
});
