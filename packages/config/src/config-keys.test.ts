import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, expectTypeOf, it } from "vitest";
import { CONFIG_KEYS, type ConfigKey, envVariableFor } from "./config-keys.js";
import type { HushConfig } from "./types.js";

type Entry = (typeof CONFIG_KEYS)[number];
type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** The type at a dotted path of `T`. */
type At<T, P extends string> = P extends `${infer Head}.${infer Rest}`
  ? Head extends keyof T
    ? At<T[Head], Rest>
    : never
  : P extends keyof T
    ? T[P]
    : never;
/** What a key of the table holds in `HushConfig` (a table is checked through its keys). */
type ValueOf<E extends Entry> = E extends { readonly choices: readonly (infer C)[] }
  ? C
  : E["type"] extends "boolean"
    ? boolean
    : E["type"] extends "url" | "string"
      ? string
      : E["type"] extends "milliseconds" | "seconds"
        ? number
        : E["type"] extends "secrets"
          ? Readonly<Record<string, unknown>>
          : never;
type Expected<E extends Entry> =
  | ValueOf<E>
  | (E extends { readonly default: unknown } ? never : undefined);
/** The paths whose type in `HushConfig` is not what the table says. */
type Mismatched = {
  [E in Entry as E["path"]]: E["type"] extends "table"
    ? never
    : Equal<At<HushConfig, E["path"]>, Expected<E>> extends true
      ? never
      : E["path"];
}[Entry["path"]];
/** The keys an interface names, without its index signature. */
type Declared<T> = keyof { [K in keyof T as string extends K ? never : K]: 0 } & string;
type Sections = Extract<Entry, { readonly type: "table" }>["path"];
type DeclaredPaths =
  | Declared<HushConfig>
  | { [S in Sections]: `${S}.${Declared<At<HushConfig, S>>}` }[Sections];

describe("the config key table", () => {
  it("says what HushConfig declares, key for key and type for type (checked at compile time)", () => {
    expectTypeOf<Mismatched>().toEqualTypeOf<never>();
    expectTypeOf<Exclude<DeclaredPaths, Entry["path"]>>().toEqualTypeOf<never>();
    expectTypeOf<Exclude<Entry["path"], DeclaredPaths>>().toEqualTypeOf<never>();
  });

  it("lists each table before its keys, and each key once", () => {
    const paths: string[] = CONFIG_KEYS.map((key) => key.path);
    for (const path of paths) {
      const parent = path.slice(0, path.lastIndexOf("."));
      if (path.includes(".")) expect(paths.indexOf(parent), path).toBeLessThan(paths.indexOf(path));
    }
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("is the key table of the README (HUSH_WRITE_README=1 writes it)", () => {
    const readme = new URL("../README.md", import.meta.url);
    const text = readFileSync(readme, "utf8");
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    expect(start, `the README has a line ${BEGIN}`).toBeGreaterThanOrEqual(0);
    expect(end, `the README has a line ${END}`).toBeGreaterThan(start);
    const expected = `${text.slice(0, start)}${BEGIN}\n${keyTable()}${text.slice(end)}`;
    if (process.env.HUSH_WRITE_README === "1") writeFileSync(readme, expected);
    expect(text).toBe(expected);
  });
});

const BEGIN = "<!-- config keys: made from CONFIG_KEYS by src/config-keys.test.ts -->";
const END = "<!-- end of config keys -->";

/** The README's table of keys, one row per key of {@link CONFIG_KEYS}. */
function keyTable(): string {
  const rows = (CONFIG_KEYS as readonly ConfigKey[]).map((key) =>
    [
      `\`${key.path}\``,
      `${typeWords(key)}${key.secret === true ? ", secret" : ""}`,
      key.default === undefined
        ? key.type === "table"
          ? ""
          : "unset"
        : `\`${toml(key.default)}\``,
      envWords(key),
      key.description,
    ].join(" | "),
  );
  const head = [
    "key | holds | default | environment | what it does",
    "--- | --- | --- | --- | ---",
  ];
  return `${[...head, ...rows].map((row) => `| ${row} |`).join("\n")}\n`;
}

function typeWords(key: ConfigKey): string {
  switch (key.type) {
    case "choice":
      return (key.choices ?? []).map((choice) => `\`"${choice}"\``).join(", ");
    case "boolean":
      return "true or false";
    case "url":
      return "an http(s) URL";
    case "string":
      return "a string";
    case "milliseconds":
      return "whole milliseconds, ≥ 0";
    case "seconds":
      return "seconds, ≥ 0";
    case "table":
      return "a table";
    case "secrets":
      return "a table of secrets";
  }
}

function envWords(key: ConfigKey): string {
  const variable = envVariableFor(key.path);
  if (key.type === "table") return `\`${variable}\` (a JSON object)`;
  if (key.type === "secrets") return `\`${variable}__<NAME>\``;
  return `\`${variable}\``;
}

function toml(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object" && value !== null) return "{}";
  return String(value);
}
