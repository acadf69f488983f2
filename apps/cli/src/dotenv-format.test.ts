import { execFileSync } from "node:child_process";
import { parse } from "dotenv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dotenvQuote, formatSecrets, shellQuote } from "./dotenv-format.js";

const HARD = [
  "plain",
  "",
  " spaces around ",
  "it's",
  'say "hi"',
  "`tick`",
  `$HOME and \${PATH} and $(rm -rf /)`,
  "back\\slash and \\n as text",
  "line one\nline two\n",
  "ünïcødé € 🙂",
  "# not a comment",
  "a=b=c",
];

describe("export formats", () => {
  it("quotes every value so that dotenv's parser gives it back", () => {
    const values = new Map(HARD.map((v, i) => [`K${i}`, v]));
    expect(parse(formatSecrets(values, "dotenv").text)).toEqual(Object.fromEntries(values));
  });

  it("round-trips any value without all three quote kinds through dotenv", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (value) => {
        fc.pre(!value.includes("\r"));
        let quoted: string;
        try {
          quoted = dotenvQuote("K", value);
        } catch {
          // refused: it must really hold all three quote kinds, or a backslash the parser changes
          expect((value.includes("'") && value.includes("`")) || value.endsWith("\\")).toBe(true);
          return;
        }
        expect(parse(`K=${quoted}\n`).K).toBe(value);
      }),
    );
  });

  it("refuses a value dotenv cannot hold, naming the secret but not quoting the value", () => {
    expect(() => dotenvQuote("MIX", `'"\`secret-text`)).toThrow(
      /MIX cannot be written in dotenv format/,
    );
    try {
      dotenvQuote("MIX", `'"\`secret-text`);
    } catch (error) {
      expect(String(error)).not.toContain("secret-text");
    }
  });

  it("quotes values for sh so that they come back byte for byte", () => {
    const values = new Map(HARD.map((v, i) => [`K${i}`, v]));
    const script =
      formatSecrets(values, "shell").text +
      [...values.keys()].map((k) => `printf '%s\\0' "$${k}"`).join("\n");
    const echoed = execFileSync("sh", ["-c", script], { encoding: "utf8" })
      .split("\0")
      .slice(0, -1);
    expect(echoed).toEqual(HARD);
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });

  it("leaves out of shell output the names that are not shell variables", () => {
    const { text, skipped } = formatSecrets(
      new Map([
        ["db.url", "x"],
        ["OK", "y"],
      ]),
      "shell",
    );
    expect(skipped).toEqual(["db.url"]);
    expect(text).toBe("export OK='y'\n");
  });
});
