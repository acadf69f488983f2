import { describe, expect, it } from "vitest";
import { load, loadError, testDir } from "../test/helpers.js";
import { ConfigErrorCode, loadConfig } from "./index.js";

/** Loads `[t]` with `lines` and returns that table. */
function table(lines: string[], env: Record<string, string> = {}): Record<string, unknown> {
  return load(`[t]\n${lines.join("\n")}\n`, env).config.t as Record<string, unknown>;
}

describe("interpolation: $NAME", () => {
  it("is the environment variable when it is set", () => {
    expect(table(['path = "$PATH"', 'mid = "a/$PATH/b"'], { PATH: "1/2/3" })).toEqual({
      path: "1/2/3",
      mid: "a/1/2/3/b",
    });
  });

  it("stays as written when the variable is not set, the longest name counting", () => {
    expect(table(['a = "$NOPE"', 'b = "xxx$PATHxxx"'], { PATH: "1/2/3" })).toEqual({
      a: "$NOPE",
      b: "xxx$PATHxxx",
    });
  });

  it("is only a name starting with a letter or _", () => {
    expect(table(['a = "$1 $- $ $"'], { "1": "one" }).a).toBe("$1 $- $ $");
  });
});

describe("interpolation: ${name}", () => {
  it("is the environment variable when one is set, before any config key", () => {
    expect(table(['a = "${HOST}:1"', 'b = "${backend}"'], { HOST: "h", backend: "env" })).toEqual({
      a: "h:1",
      b: "env",
    });
  });

  it("is otherwise the config value at that dotted path, in any order", () => {
    const { config } = load(
      '[t]\nurl = "${cloud.endpoint}/graphql"\nb = "${backend}"\n[cloud]\nendpoint = "https://h.example"\n',
    );
    expect(config.t).toEqual({ url: "https://h.example/graphql", b: "cloud" });
  });

  it("resolves nested references inside out", () => {
    const { config } = load(
      '[t]\nkey = "endpoint"\nurl = "${${backend}.${t.key}}"\n[cloud]\nendpoint = "https://h.example"\n',
    );
    expect((config.t as { url: string }).url).toBe("https://h.example");
  });

  it("expands environment variables inside a reference first", () => {
    expect(table(['key = "v"', 'v = "value"', 'a = "${t.$WHICH}"'], { WHICH: "v" }).a).toBe(
      "value",
    );
  });

  it("keeps the referenced value's type when the whole value is one reference", () => {
    const t = table([
      'n = "${t.src.n}"',
      'b = "${t.src.b}"',
      'tab = "${t.src}"',
      'arr = "${t.src.arr}"',
      "src = { n = 1, b = true, arr = [1, 2] }",
    ]);
    expect(t.n).toBe(1);
    expect(t.b).toBe(true);
    expect(t.tab).toEqual({ n: 1, b: true, arr: [1, 2] });
    expect(t.arr).toEqual([1, 2]);
  });

  it("writes numbers, booleans and tables as text inside a longer value", () => {
    const t = table([
      'n = "${t.src.n} + 1"',
      'b = "${t.src.b} string"',
      'tab = "is ${t.src}"',
      "src = { n = 1, b = true }",
    ]);
    expect(t).toMatchObject({ n: "1 + 1", b: "true string", tab: 'is {"n":1,"b":true}' });
  });

  it("reaches into arrays by index, written as a plain whole number", () => {
    expect(table(['a = "${t.list.1.name}"', 'list = [{ name = "x" }, { name = "y" }]']).a).toBe(
      "y",
    );
    for (const index of ["01", "1e0", "+1", "-0", "2"]) {
      const error = loadError(`[t]\nlist = ["x", "y"]\na = "\${t.list.${index}}"\n`);
      expect(error.code).toBe(ConfigErrorCode.UNKNOWN_REFERENCE);
    }
  });

  it("sees environment overrides: interpolation runs after all layers", () => {
    const { config } = load('[t]\nurl = "${cloud.endpoint}/graphql"\n', {
      HUSH__CLOUD__ENDPOINT: "https://env.example",
    });
    expect((config.t as { url: string }).url).toBe("https://env.example/graphql");
  });

  it("applies to environment override values too", () => {
    const { config } = load('[t]\nhost = "h.example"\n', {
      HUSH__CLOUD__ENDPOINT: "https://${t.host}",
      HUSH__T__HOME: "$HOME/x",
      HOME: "/home/u",
    });
    expect(config.cloud.endpoint).toBe("https://h.example");
    expect((config.t as { home: string }).home).toBe("/home/u/x");
  });

  it("inserts environment values as they are, never expanding them again", () => {
    const value = "p$ss${word}\\$~/";
    expect(table(['a = "$PW"', 'b = "${PW}"', 'c = "<$PW>"'], { PW: value })).toEqual({
      a: value,
      b: value,
      c: `<${value}>`,
    });
  });

  it("resolves each value once, however often it is referenced", () => {
    const t = table(['a = "$X"', 'b = "${t.a}"', 'c = "${t.a}${t.b}"'], { X: "$Y", Y: "no" });
    expect(t).toEqual({ a: "$Y", b: "$Y", c: "$Y$Y" });
  });
});

describe("interpolation: escapes and ~", () => {
  it("reads \\$ as a literal $ and nothing else as special after \\", () => {
    const t = table(["a = '\\$HOME \\${cloud.endpoint}'", String.raw`b = 'C:\temp\new $'`], {
      HOME: "/home/u",
    });
    expect(t).toEqual({ a: "$HOME ${cloud.endpoint}", b: String.raw`C:\temp\new $` });
  });

  it("does not collapse $$ (Prefect #5842)", () => {
    expect(table(["a = 'pa$$word'", "b = '$$$HOME'"], { HOME: "/h" })).toEqual({
      a: "pa$$word",
      b: "$$/h",
    });
  });

  it("turns a leading ~/ or a lone ~ into the home folder", () => {
    const { config, home } = load("[t]\na = '~/x/$U'\nb = '~'\nc = 'a~/b'\nd = '~user/x'\n", {
      U: "u",
    });
    expect(config.t).toEqual({ a: `${home}/x/u`, b: home, c: "a~/b", d: "~user/x" });
  });

  it("joins ~/ to a home folder given with a trailing separator without doubling it", () => {
    const home = testDir();
    const config = loadConfig({ homeDir: `${home}/`, env: { HUSH__T__A: "~/x" } });
    expect((config.t as { a: string }).a).toBe(`${home}/x`);
  });
});

describe("interpolation errors", () => {
  it("name the reference, the key and the file:line:column for a missing key", () => {
    const error = loadError('[cloud]\n\nendpoint = "${cloud.endpont}/graphql"\n');
    expect(error.code).toBe(ConfigErrorCode.UNKNOWN_REFERENCE);
    expect(error).toMatchObject({ key: "cloud.endpoint", line: 3, column: 12 });
    expect(error.message).toBe(
      '~/.hush/config.toml:3:12: cloud.endpoint refers to ${cloud.endpont}, which is neither a set environment variable nor a config key. Fix the name, set the variable, or write "\\$" for a literal "$".',
    );
  });

  it("show what a nested reference resolved to", () => {
    const error = loadError('[t]\na = "${${backend}.nope}"\n');
    expect(error.message).toContain("t.a refers to ${${backend}.nope} (cloud.nope), which");
  });

  it("name the variable for a reference in an environment override", () => {
    const error = loadError(undefined, { HUSH__T__A: "${t.b}" });
    expect(error.code).toBe(ConfigErrorCode.UNKNOWN_REFERENCE);
    expect(error.variable).toBe("HUSH__T__A");
    expect(error.message).toMatch(/^HUSH__T__A: t\.a refers to \$\{t\.b\}/);
  });

  it("report a reference cycle with its chain", () => {
    const error = loadError('[t]\na = "${t.b}"\nb = "x${t.c}"\nc = "${t.a}"\n');
    expect(error.code).toBe(ConfigErrorCode.REFERENCE_CYCLE);
    expect(error).toMatchObject({ key: "t.c", line: 4, column: 5 });
    expect(error.message).toBe(
      "~/.hush/config.toml:4:5: t.c refers to ${t.a}, which leads back to itself: t.a → t.b → t.c → t.a. Give one of these keys a plain value.",
    );
  });

  it("report a value that refers to itself, or to a table holding it", () => {
    expect(loadError('[t]\na = "${t.a}"\n').code).toBe(ConfigErrorCode.REFERENCE_CYCLE);
    const error = loadError('[t]\nx = 1\na = "${t}"\n');
    expect(error.code).toBe(ConfigErrorCode.REFERENCE_CYCLE);
    expect(error.key).toBe("t.a");
  });

  it("report a ${ that is never closed", () => {
    const error = loadError('[t]\na = "x${t.b"\n');
    expect(error.code).toBe(ConfigErrorCode.INVALID_REFERENCE);
    expect(error.message).toContain('t.a has "${t.b", a "${" that is never closed.');
  });
});
