import { describe, expect, it } from "vitest";
import { BadGraphQLRequest, paramsFromBody, paramsFromSearch } from "./graphql-params.js";

describe("paramsFromBody", () => {
  it("reads query, variables and operationName", () => {
    expect(
      paramsFromBody({ query: "{ a }", variables: { x: 1 }, operationName: "A", extensions: {} }),
    ).toEqual({ query: "{ a }", variables: { x: 1 }, operationName: "A" });
    expect(paramsFromBody({ query: "{ a }", variables: null, operationName: null })).toEqual({
      query: "{ a }",
      variables: undefined,
      operationName: undefined,
    });
  });

  it("treats an empty operationName as none", () => {
    expect(paramsFromBody({ query: "{ a }", operationName: "" })).toMatchObject({
      operationName: undefined,
    });
  });

  it.each([
    ["an array", [{ query: "{ a }" }], /Batched/],
    ["null", null, /JSON object/],
    ["a string", "{ a }", /JSON object/],
    ["no query", {}, /no query/],
    ["a query object", { query: { kind: "Document" } }, /must be a string/],
    ["variables as a list", { query: "{ a }", variables: [] }, /variables/],
    ["variables as a string", { query: "{ a }", variables: "{}" }, /variables/],
    ["a numeric operationName", { query: "{ a }", operationName: 1 }, /operationName/],
    ["extensions as a list", { query: "{ a }", extensions: [] }, /extensions/],
  ])("refuses %s", (_label, body, message) => {
    const result = paramsFromBody(body);
    expect(result).toBeInstanceOf(BadGraphQLRequest);
    expect((result as BadGraphQLRequest).message).toMatch(message);
  });
});

describe("paramsFromSearch", () => {
  it("reads variables as JSON text", () => {
    expect(paramsFromSearch({ query: "{ a }", variables: '{"x": [1]}' })).toEqual({
      query: "{ a }",
      variables: { x: [1] },
      operationName: undefined,
    });
  });

  it.each([
    ["variables that are not JSON", { query: "{ a }", variables: "{x" }],
    ["variables that are a JSON list", { query: "{ a }", variables: "[]" }],
    [
      "variables with a __proto__ key",
      { query: "{ a }", variables: '{"v": {"a": 1, "__proto__": {"isAdmin": true}}}' },
    ],
    [
      "variables with constructor.prototype",
      { query: "{ a }", variables: '{"v": {"constructor": {"prototype": {}}}}' },
    ],
    ["a repeated query", { query: ["{ a }", "{ b }"] }],
    ["repeated variables", { query: "{ a }", variables: ["{}", "{}"] }],
    ["no query", {}],
  ])("refuses %s", (_label, search) => {
    expect(paramsFromSearch(search)).toBeInstanceOf(BadGraphQLRequest);
  });
});
