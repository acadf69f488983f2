import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { testDir, tomlString } from "../test/helpers.js";
import { ConfigError, loadConfig } from "./index.js";

/** Strings rich in what interpolation reacts to, with arbitrary text between. */
const tricky = fc
  .array(
    fc.oneof(
      fc.constantFrom("$", "{", "}", "\\", "~", "~/", "/", ".", "$$", "${", "\\$"),
      fc.constantFrom("HOME", "SET", "t", "t.a", "t.b", "cloud", "endpoint", "backend", "0"),
      fc.string({ unit: "binary", maxLength: 4 }),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(""));

/** Loads `[t]` with a = `a`, b = `b` from a file in `home`, with `env`. */
function loadFile(home: string, a: string, b: string, env: Record<string, string> = {}) {
  writeFileSync(join(home, "c.toml"), `[t]\na = ${tomlString(a)}\nb = ${tomlString(b)}\n`);
  return loadConfig({ homeDir: home, env, userConfigPath: join(home, "c.toml") });
}

const ENV = { HOME: "/home/u", SET: "set-value" };

/** Runs `load`, allowing only a ConfigError to escape. */
function onlyConfigErrors(load: () => unknown): void {
  try {
    load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  }
}

describe("interpolation properties", () => {
  it("throws nothing but ConfigError for any file value", () => {
    const home = testDir();
    fc.assert(
      fc.property(tricky, tricky, (a, b) => onlyConfigErrors(() => loadFile(home, a, b, ENV))),
    );
  });

  it("throws nothing but ConfigError for any environment override", () => {
    const home = testDir();
    fc.assert(
      fc.property(tricky, tricky, (a, b) =>
        onlyConfigErrors(() =>
          loadConfig({ homeDir: home, env: { ...ENV, HUSH__T__A: a, HUSH__T__B: b } }),
        ),
      ),
    );
  });

  it("returns a value without $, ~ or \\ unchanged", () => {
    const home = testDir();
    const plain = fc.string({ unit: "binary" }).filter((s) => !/[$~\\]/.test(s));
    fc.assert(
      fc.property(plain, plain, (a, b) => {
        expect(loadFile(home, a, b, ENV).t).toEqual({ a, b });
      }),
    );
  });

  it("gives back any text whose every $ is written \\$ (unless it starts with ~)", () => {
    const home = testDir();
    const text = fc.oneof(tricky, fc.string({ unit: "binary" }));
    const noTilde = text.filter((s) => s !== "~" && !s.startsWith("~/"));
    const escapeDollars = (s: string) => s.replaceAll("$", "\\$");
    fc.assert(
      fc.property(noTilde, noTilde, (a, b) => {
        expect(loadFile(home, escapeDollars(a), escapeDollars(b), ENV).t).toEqual({ a, b });
      }),
    );
  });

  it("inserts any environment value verbatim, whole or inside text", () => {
    const home = testDir();
    fc.assert(
      fc.property(fc.oneof(tricky, fc.string({ unit: "binary" })), (value) => {
        const t = loadFile(home, "${VALUE}", "[$VALUE]", { VALUE: value }).t;
        expect(t).toEqual({ a: value, b: `[${value}]` });
      }),
    );
  });
});
