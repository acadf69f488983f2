import { describe, expect, it } from "vitest";
import { GraphQLError, Kind } from "../graphql-js.js";
import { dateTimeScalar, parseIsoDateTime } from "./date-time-scalar.js";

describe("DateTime", () => {
  it("serialises Dates (and ISO strings) as ISO strings in UTC", () => {
    expect(dateTimeScalar.serialize(new Date(Date.UTC(2026, 10, 27, 9, 30)))).toBe(
      "2026-11-27T09:30:00.000Z",
    );
    expect(dateTimeScalar.serialize("2026-11-27T10:30:00+01:00")).toBe("2026-11-27T09:30:00.000Z");
    expect(() => dateTimeScalar.serialize(new Date(Number.NaN))).toThrow(TypeError);
    expect(() => dateTimeScalar.serialize(42)).toThrow(TypeError);
  });

  it.each([
    ["2026-11-27T09:30:00.000Z", "2026-11-27T09:30:00.000Z"],
    ["2026-11-27T09:30Z", "2026-11-27T09:30:00.000Z"],
    ["2026-11-27T09:30:00+01:00", "2026-11-27T08:30:00.000Z"],
    ["2026-11-27T09:30:00.123456-05:30", "2026-11-27T15:00:00.123Z"],
    ["2026-11-27", "2026-11-27T00:00:00.000Z"],
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
  ])("reads %s", (text, iso) => {
    expect(parseIsoDateTime(text).toISOString()).toBe(iso);
    expect(dateTimeScalar.parseValue(text).toISOString()).toBe(iso);
    expect(dateTimeScalar.parseLiteral({ kind: Kind.STRING, value: text }).toISOString()).toBe(iso);
  });

  it.each([
    "tomorrow",
    "2026-11-27T09:30:00",
    "2026-11-27 09:30:00Z",
    "2026-02-29",
    "2026-02-30T00:00:00Z",
    "2026-13-01",
    "2026-11-27T24:00:00Z",
    "2026-11-27T09:60:00Z",
    "2026-11-27T09:30:00+25:00",
    "27/11/2026",
    "1764235800000",
    "",
    `2026-11-27${"0".repeat(100)}`,
  ])("refuses %j with BAD_USER_INPUT, without echoing it", (text) => {
    let thrown: unknown;
    try {
      dateTimeScalar.parseValue(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GraphQLError);
    expect((thrown as GraphQLError).extensions.code).toBe("BAD_USER_INPUT");
    expect((thrown as GraphQLError).message).toMatch(/ISO-8601/);
    // One fixed message for every input: nothing of the input is echoed.
    expect((thrown as GraphQLError).message).toBe(
      "Invalid DateTime: a DateTime must be an ISO-8601 string with a time zone, e.g. 2026-11-27T09:30:00.000Z, or a date such as 2026-11-27.",
    );
  });

  it("refuses values that are not strings", () => {
    expect(() => dateTimeScalar.parseValue(1764235800000)).toThrow(/ISO-8601/);
    expect(() => dateTimeScalar.parseLiteral({ kind: Kind.INT, value: "1" })).toThrow(/ISO-8601/);
  });
});
