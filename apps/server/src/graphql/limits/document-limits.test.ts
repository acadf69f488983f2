import { describe, expect, it } from "vitest";
import { getIntrospectionQuery, parse } from "../graphql-js.js";
import { checkDocumentLimits } from "./document-limits.js";

const LIMITS = { maxDepth: 4, maxAliases: 3, maxRootFields: 5, maxSelections: 40 };
const messages = (document: string) =>
  checkDocumentLimits(parse(document), LIMITS).map((error) => error.message);

describe("checkDocumentLimits", () => {
  it("lets documents within the limits through", () => {
    expect(messages("{ a { b { c { d } } } x: y z: w }")).toEqual([]);
    expect(messages("query Q { a } mutation M { b }")).toEqual([]);
  });

  it("measures depth through fields, inline fragments and fragment spreads", () => {
    expect(messages("{ a { b { c { d { e } } } } }")).toEqual([
      "The query is nested 5 fields deep; the limit is 4.",
    ]);
    expect(
      messages("query Deep { a { ... on T { b { ...F } } } } fragment F on T { c { d { e } } }"),
    ).toEqual(["The operation Deep is nested 5 fields deep; the limit is 4."]);
  });

  it("does not count what is below an introspection field (graphql-js bounds that)", () => {
    expect(checkDocumentLimits(parse(getIntrospectionQuery()), { ...LIMITS, maxDepth: 2 })).toEqual(
      [],
    );
  });

  it("counts aliases across operations and once per fragment spread", () => {
    expect(messages("{ a: x b: x }")).toEqual([]);
    expect(messages("{ ...F ...F } fragment F on Q { a: x b: x }")).toEqual([
      "The document uses 4 aliases; the limit is 3.",
    ]);
    expect(messages("query A { a: x b: x } query B { c: x d: x }")).toEqual([
      "The document uses 4 aliases; the limit is 3.",
    ]);
  });

  it("reports an exponential fragment bomb without expanding it", () => {
    const levels = Array.from(
      { length: 2000 },
      (_, i) => `fragment L${i + 1} on Q { ...L${i} ...L${i} }`,
    );
    const document = `{ ...L2000 } fragment L0 on Q { a: x } ${levels.join(" ")}`;
    expect(messages(document)).toContain(
      "The query selects more than 40 fields once its fragments are expanded; send a smaller document.",
    );
    expect(messages(document)).toContain("The document uses more than 3 aliases, the limit.");
  });

  it("counts every spread of a doubling chain in time linear in its text", () => {
    const chain = (root: string, last: string) =>
      `${root} ${Array.from({ length: 1000 }, (_, k) => `fragment F${k} on Q { ...F${k + 1} ...F${k + 1} }`).join(" ")} fragment F1000 on Q { ${last} }`;
    for (const [root, last] of [
      ["{ ...F0 }", "...F1000"],
      ["{ ...F0 }", "x"],
      ["{ a { ...F0 } }", "x"],
    ] as const) {
      expect(messages(chain(root, last))[0]).toMatch(/selects more than 40 fields/);
    }
  });

  it("counts selections inside fields and inline fragments, and spreads themselves", () => {
    const fields = (n: number) => Array.from({ length: n }, (_, i) => `f${i}`).join(" ");
    expect(messages(`{ a { ${fields(39)} } }`)).toEqual([]);
    expect(messages(`{ a { ${fields(40)} } }`)[0]).toMatch(/more than 40 fields/);
    expect(messages(`{ a { ... on T { ${fields(40)} } } }`)[0]).toMatch(/more than 40 fields/);
    expect(messages(`{ a { ...F ...F } } fragment F on T { ${fields(18)} }`)).toEqual([]);
    expect(messages(`{ a { ...F ...F } } fragment F on T { ${fields(19)} }`)[0]).toMatch(
      /more than 40 fields/,
    );
  });

  it("refuses the alias __proto__ and aliases shaped like a token, without echoing them", () => {
    const token = `hush_${"x".repeat(43)}`;
    expect(messages("{ a { __proto__: b } }")).toEqual([
      'The alias "__proto__" cannot be used; choose another alias.',
    ]);
    const refused = messages(`{ ...F } fragment F on Q { ${token}: x }`);
    expect(refused).toEqual([
      "An alias looks like an API token (hush_…); choose another alias, and revoke the token if it is a real one.",
    ]);
    expect(messages("{ constructor: a toString: b hasOwnProperty: c }")).toEqual([]);
  });

  it("caps root fields, counting fragments", () => {
    expect(messages("{ a b c d e }")).toEqual([]);
    expect(messages("{ a b c d e f }")[0]).toMatch(/selects more than 5 root fields/);
    expect(messages("{ a ...F ...F } fragment F on Q { b c d }")[0]).toMatch(
      /more than 5 root fields/,
    );
  });

  it("terminates on fragment cycles (the standard rules report them)", () => {
    expect(
      messages("{ ...A } fragment A on Q { a { ...B } } fragment B on T { b { ...A } }"),
    ).toEqual([]);
  });
});
