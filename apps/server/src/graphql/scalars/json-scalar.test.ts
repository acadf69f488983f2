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

  it.each([
    ["{__proto__: {isAdmin: true}, kept: 1}"],
    ['{a: 1, b: [{__proto__: "x"}]}'],
    ["{constructor: {prototype: {isAdmin: true}}}"],
  ])("refuses %s with BAD_USER_INPUT, as the body parser refuses it in variables", (text) => {
    expect(() => literal(text)).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/cannot hold keys named "__proto__"/),
        extensions: { code: "BAD_USER_INPUT" },
      }),
    );
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it("keeps other keys named after Object.prototype members as data", () => {
    const value = literal('{constructor: "c", toString: 1, hasOwnProperty: [], valueOf: null}');
    expect(JSON.stringify(value)).toBe(
      '{"constructor":"c","toString":1,"hasOwnProperty":[],"valueOf":null}',
    );
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
