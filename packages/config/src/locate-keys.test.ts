import fc from "fast-check";
import { parse, stringify } from "smol-toml";
import { describe, expect, it } from "vitest";
import { locateKeys, positionKey, scanStatements } from "./locate-keys.js";

/** The positions of `source` as "dotted.path" → "line:column", after checking it is valid TOML. */
function positions(source: string): Record<string, string> {
  parse(source);
  const out: Record<string, string> = {};
  for (const [key, { line, column }] of locateKeys(source)) {
    out[key.split("\u0000").join(".")] = `${line}:${column}`;
  }
  return out;
}

describe("locateKeys", () => {
  it("finds each key's value under the current table header", () => {
    expect(
      positions(
        [
          'backend = "cloud"',
          "",
          "[cloud]",
          "  endpoint   =   'x'  # comment",
          "[context.secrets]",
          "A = 1",
        ].join("\n"),
      ),
    ).toEqual({
      backend: "1:11",
      cloud: "3:1",
      "cloud.endpoint": "4:18",
      "context.secrets": "5:1",
      "context.secrets.A": "6:5",
    });
  });

  it("reads dotted and quoted keys, keeping a quoted dot inside its part", () => {
    const source = [
      "[ a . 'b.c' ]",
      "x.y = 1",
      '"q.k" = 2',
      String.raw`"esc\"\u0041" = 3`,
      "'lit\\' = 4",
    ].join("\n");
    const found = locateKeys(source);
    parse(source);
    expect(found.get(positionKey(["a", "b.c"]))).toEqual({ line: 1, column: 1 });
    expect(found.get(positionKey(["a", "b.c", "x", "y"]))).toEqual({ line: 2, column: 7 });
    expect(found.get(positionKey(["a", "b.c", "q.k"]))).toEqual({ line: 3, column: 9 });
    expect(found.get(positionKey(["a", "b.c", 'esc"A']))).toEqual({ line: 4, column: 17 });
    expect(found.get(positionKey(["a", "b.c", "lit\\"]))).toEqual({ line: 5, column: 10 });
  });

  it("is not fooled by multi-line strings that look like keys or headers", () => {
    const source = [
      'a = """',
      "[fake]",
      'b = "no"',
      '\\""" still inside',
      '"""',
      "c = '''",
      "d = 1 ''' # after",
      'e = """x"""""',
      "f = 2",
    ].join("\n");
    expect(positions(source)).toEqual({ a: "1:5", c: "6:5", e: "8:5", f: "9:5" });
  });

  it("skips multi-line arrays and inline tables with brackets, quotes and comments inside", () => {
    const source = [
      "a = [",
      '  "]", # ] [ {',
      "  { x = '}' },",
      "  [1, [2]],",
      "]",
      "b = { c = [1], d = { e = 2 } }",
      "f = 3",
    ].join("\n");
    expect(positions(source)).toEqual({ a: "1:5", b: "6:5", f: "7:5" });
  });

  it("lists an array of tables at its first header", () => {
    const source = ["[[servers]]", 'name = "a"', "[[servers]]", 'name = "b"', "[other]", "x = 1"];
    expect(positions(source.join("\n"))).toMatchObject({
      servers: "1:1",
      "servers.name": "2:8",
      other: "5:1",
      "other.x": "6:5",
    });
  });

  it("counts lines the same with CRLF line ends", () => {
    expect(positions('a = 1\r\n\r\n[t]\r\nb = """\r\nx\r\n"""\r\nc = 2\r\n')).toEqual({
      a: "1:5",
      t: "3:1",
      "t.b": "4:5",
      "t.c": "7:5",
    });
  });

  it("counts dates with a space and numbers with comments as one value", () => {
    expect(positions("a = 1979-05-27 07:32:00 # when\nb = 1_000 # n\nc = true")).toEqual({
      a: "1:5",
      b: "2:5",
      c: "3:5",
    });
  });
});

type Tree = { [key: string]: Tree | string | number | boolean };

/** The key paths of a tree's non-table values. */
function leaves(tree: Tree, path: string[] = []): string[][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === "object" ? leaves(value, [...path, key]) : [[...path, key]],
  );
}

describe("locateKeys on any document smol-toml writes", () => {
  const key = fc.oneof(
    fc.constantFrom("a", "b-c", "a.b", 'q"uote', "sp ace", "'", "[x]", "#", "="),
    fc.string({ unit: "binary", minLength: 1, maxLength: 4 }),
  );
  const scalar = fc.oneof(
    fc.constantFrom('"""', "'''", "x = 1\n[t]", "a\nb = 2\n", "]", "{", "#"),
    fc.string({ unit: "binary" }),
    fc.integer(),
    fc.boolean(),
  );
  const tree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.dictionary(key, fc.oneof({ depthSize: "small" }, scalar, tie("tree")), {
      maxKeys: 4,
    }),
  })).tree;

  it("places every value just after its key's =", () => {
    fc.assert(
      fc.property(tree, (doc) => {
        const source = stringify(doc);
        const lines = source.split("\n");
        const found = locateKeys(source);
        for (const path of leaves(doc)) {
          const position = found.get(positionKey(path));
          expect(position, path.join(".")).toBeDefined();
          const { line, column } = position as { line: number; column: number };
          expect(lines[line - 1]?.slice(0, column - 1)).toMatch(/= $/);
        }
      }),
    );
  });
});

describe("scanStatements", () => {
  it("gives each header and key = value with where its key and value start and end", () => {
    const source = [
      "top = 12   # c\r",
      "[context.secrets]  # h",
      '  "a.b" =   """x',
      'y"""',
      "[[list]]",
    ].join("\n");
    parse(source);
    const parts = scanStatements(source).map((s) => ({
      kind: s.kind,
      table: s.table.join("/"),
      key: s.key.join("/"),
      text: source.slice(s.start, s.end),
      keyText: source.slice(s.start, s.keyEnd),
      value: source.slice(s.valueStart, s.end),
      at: `${s.position.line}:${s.position.column}`,
    }));
    expect(parts).toEqual([
      {
        kind: "key",
        table: "",
        key: "top",
        text: "top = 12",
        keyText: "top",
        value: "12",
        at: "1:7",
      },
      {
        kind: "table",
        table: "context/secrets",
        key: "",
        text: "[context.secrets]",
        keyText: "[context.secrets]",
        value: "",
        at: "2:1",
      },
      {
        kind: "key",
        table: "context/secrets",
        key: "a.b",
        text: '"a.b" =   """x\ny"""',
        keyText: '"a.b"',
        value: '"""x\ny"""',
        at: "3:13",
      },
      {
        kind: "array",
        table: "list",
        key: "",
        text: "[[list]]",
        keyText: "[[list]]",
        value: "",
        at: "5:1",
      },
    ]);
  });
});
