import { describe, expect, it } from "vitest";
import { GraphQLError, parseValue } from "../graphql-js.js";
import { jsonScalar } from "./json-scalar.js";

const literal = (text: string) => jsonScalar.parseLiteral(parseValue(text));

describe("JSON", () => {
  it("reads every kind of JSON literal", () => {
    expect(literal('"VALUE"')).toBe("VALUE");
    expect(literal("42")).toBe(42);
    expect(literal("-2.5e3")).toBe(-2500);
    expect(literal("true")).toBe(true);
    expect(literal("null")).toBeNull();
    expect(literal('[1, "two", [3], {a: null}]')).toEqual([1, "two", [3], { a: null }]);
    expect(literal('{user: "a", password: "b", nested: {list: []}}')).toEqual({
      user: "a",
      password: "b",
      nested: { list: [] },
    });
  });

  it("keeps a __proto__ key as data, never as a prototype", () => {
    const value = literal("{__proto__: {polluted: true}, kept: 1}") as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["__proto__", "kept"]);
    expect(JSON.stringify(value)).toBe('{"__proto__":{"polluted":true},"kept":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ["a variable", "{password: $p}", /variable \$p/],
    ["a bare word", "{role: ADMIN}", /bare word/],
  ])("refuses %s inside a literal with BAD_USER_INPUT", (_label, text, message) => {
    let thrown: unknown;
    try {
      literal(text);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GraphQLError);
    expect((thrown as GraphQLError).extensions.code).toBe("BAD_USER_INPUT");
    expect((thrown as GraphQLError).message).toMatch(message);
    expect((thrown as GraphQLError).message).not.toContain("ADMIN");
  });

  it("passes variables and results through as they are", () => {
    const value = { a: [1, { b: "c" }] };
    expect(jsonScalar.parseValue(value)).toBe(value);
    expect(jsonScalar.serialize(value)).toBe(value);
  });
});
