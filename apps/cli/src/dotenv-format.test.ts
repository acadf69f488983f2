import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "dotenv";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { formatSecrets, shellQuote } from "./dotenv-format.js";
import { callerNamed } from "./environment-rules.js";

const HARD = [
  "plain",
  "",
  " spaces around ",
  "it's",
  'say "hi"',
  "`tick`",
  `$HOME and $PATH and $(rm -rf /)`,
  "back\\slash and \\n as text",
  "line one\nline two\n",
  "ünïcødé € 🙂",
  "# not a comment",
  "a=b=c",
];

const NAMED_NONE = callerNamed({});
const folder = mkdtempSync(join(tmpdir(), "hush-dotenv-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
/** A file that a value's `$(…)` or backticks would create if a shell ran them. */
const CANARY = join(folder, "ran");

/** Text that tries to break out of every quoting, or to run code when sourced. */
const HOSTILE = [
  "'",
  '"',
  "`",
  "\\",
  "\\\\",
  "\\n",
  "\\'",
  '\\"',
  "\n",
  "\r",
  "\r\n",
  "#",
  " #",
  "=",
  " ",
  "\t",
  "$",
  "$HOME",
  `\${HOME}`,
  `\${HOME:-x}`,
  "$$",
  `$(touch ${CANARY})`,
  `\`touch ${CANARY}\``,
  "!",
  "export X=1",
  "K0=injected",
  "a",
  "é",
  "🙂",
  "\0",
];
const hostileValue = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: "grapheme", maxLength: 4 })), {
    maxLength: 8,
  })
  .map((parts) => parts.join(""));

/**
 * Writes `values` as dotenv and reads the file back with every reader at hand: `set -a; . file`
 * in each shell, Node's `dotenv`, and python-dotenv where it is installed.
 */
function readBack(values: readonly string[]) {
  const secrets = new Map(values.map((v, i) => [`K${i}`, v]));
  const refused: string[] = [];
  const written = new Map<string, string>();
  for (const [name, value] of secrets) {
    try {
      formatSecrets(new Map([[name, value]]), "dotenv", NAMED_NONE);
      written.set(name, value);
    } catch (error) {
      expect(String(error)).toContain(`The value of ${name} cannot be written in dotenv format`);
      refused.push(value);
    }
  }
  const { text } = formatSecrets(written, "dotenv", NAMED_NONE);
  // Never quoted in backticks, which sh runs.
  expect(text).not.toMatch(/^K\d+=`/m);
  const file = join(folder, "values.env");
  writeFileSync(file, text);
  const names = [...written.keys()];
  const print = names.map((n) => `printf '%s\\0' "$${n}"`).join("\n");
  const shells: Record<string, string[]> = {};
  for (const shell of ["bash", "sh"]) {
    const out = execFileSync(shell, ["-c", `set -a\n. '${file}'\n${print}`], {
      encoding: "utf8",
    });
    shells[shell] = out.split("\0").slice(0, -1);
  }
  return { written, refused, text, shells, file };
}

const python = spawnSync("python3", ["-c", "import dotenv"]).status === 0;

function pythonDotenv(file: string): Record<string, string> {
  const script =
    "import json, sys\nfrom dotenv import dotenv_values\nprint(json.dumps(dotenv_values(sys.argv[1])))";
  return JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8" }));
}

/**
 * Whether no dotenv quoting serves a value: it holds a NUL, a carriage return or a `${…}`, or
 * both something single quotes cannot hold (`'`, `\\`, a trailing `\`) and something double
 * quotes cannot (`"`, `$`, `` ` ``, `\`). The documented rule, written independently of the code.
 */
function unquotable(value: string): boolean {
  if (/[\0\r]/.test(value) || /\$\{[^}:]*(?::-[^}]*)?\}/.test(value)) return true;
  const single = value.includes("'") || value.includes("\\\\") || value.endsWith("\\");
  return single && /["$`\\]/.test(value);
}

describe("dotenv export", () => {
  it("is read back exactly by sh, bash and Node's dotenv, and runs nothing when sourced", () => {
    fc.assert(
      fc.property(fc.array(hostileValue, { minLength: 1, maxLength: 12 }), (values) => {
        const { written, refused, text, shells } = readBack(values);
        for (const value of refused) expect(unquotable(value), JSON.stringify(value)).toBe(true);
        for (const value of written.values()) expect(unquotable(value)).toBe(false);
        expect(existsSync(CANARY)).toBe(false);
        expect(shells.bash).toEqual([...written.values()]);
        expect(shells.sh).toEqual([...written.values()]);
        expect(parse(text)).toEqual(Object.fromEntries(written));
        // docker compose reads '…' literally but for \' and "…" expanding $ and \ escapes:
        // neither can occur in what is written.
        for (const line of text.matchAll(/^K\d+=(['"])([\s\S]*?)\1$/gm)) {
          if (line[1] === "'") expect(line[2]).not.toMatch(/'|\\$/);
          else expect(line[2]).not.toMatch(/[$\\"`]/);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it.skipIf(!python)(
    `is read back exactly by python-dotenv, which expands \${…}`,
    () => {
      fc.assert(
        fc.property(fc.array(hostileValue, { minLength: 1, maxLength: 12 }), (values) => {
          const { written, file } = readBack(values);
          expect(pythonDotenv(file)).toEqual(Object.fromEntries(written));
        }),
        { numRuns: 20 },
      );
    },
    120_000,
  );

  it("never writes backticks: a value planted to run code is refused by name when sourced", () => {
    const planted = `{"nested":"$(touch ${CANARY})","q":"'"}`;
    expect(() => formatSecrets(new Map([["PLANTED", planted]]), "dotenv", NAMED_NONE)).toThrowError(
      /^The value of PLANTED cannot be written in dotenv format/,
    );
    try {
      formatSecrets(new Map([["PLANTED", planted]]), "dotenv", NAMED_NONE);
    } catch (error) {
      expect(String(error)).not.toContain("nested");
    }
    const hard = new Map(HARD.map((v, i) => [`K${i}`, v]));
    const { text } = formatSecrets(hard, "dotenv", NAMED_NONE);
    expect(text).not.toMatch(/=`/);
    expect(parse(text)).toEqual(Object.fromEntries(hard));
  });

  it("refuses a NUL byte in dotenv and shell output, by name", () => {
    for (const format of ["dotenv", "shell"] as const) {
      expect(() =>
        formatSecrets(new Map([["UNICODE", "héllo \0 x"]]), format, NAMED_NONE),
      ).toThrowError(/^The value of UNICODE cannot be written .*NUL byte/);
    }
  });
});

describe("shell export", () => {
  it("quotes values for sh so that they come back byte for byte", () => {
    const values = new Map(HARD.map((v, i) => [`K${i}`, v]));
    const script =
      formatSecrets(values, "shell", NAMED_NONE).text +
      [...values.keys()].map((k) => `printf '%s\\0' "$${k}"`).join("\n");
    const echoed = execFileSync("sh", ["-c", script], { encoding: "utf8" })
      .split("\0")
      .slice(0, -1);
    expect(echoed).toEqual(HARD);
    expect(shellQuote("K", "it's")).toBe("'it'\\''s'");
  });

  it("leaves out of shell output the names that are not shell variables", () => {
    const { text, leftOut } = formatSecrets(
      new Map([
        ["db.url", "x"],
        ["a-b", "z"],
        ["OK", "y"],
      ]),
      "shell",
      NAMED_NONE,
    );
    expect(leftOut.names("notShellName")).toEqual(["db.url", "a-b"]);
    expect(text).toBe("export OK='y'\n");
  });
});

describe("start-up variables in shell and dotenv output", () => {
  const planted = new Map([
    ["NODE_OPTIONS", "--require ./payload.js"],
    ["bash_env", "./payload.sh"],
    ["NODE_ENV", "production"],
    ["DB_URL", "postgres://db"],
  ]);

  it("are left out unless named; json holds everything", () => {
    for (const format of ["shell", "dotenv"] as const) {
      const { text, leftOut } = formatSecrets(planted, format, NAMED_NONE);
      expect(leftOut.names("startup")).toEqual(["NODE_OPTIONS", "bash_env"]);
      expect(text).not.toMatch(/NODE_OPTIONS|bash_env|payload/);
      expect(text).toMatch(/NODE_ENV=/);
    }
    const json = formatSecrets(planted, "json", NAMED_NONE).text;
    expect(JSON.parse(json)).toEqual(Object.fromEntries(planted));
  });

  it("are written when --allow-env (any case) or --only names them", () => {
    const allowed = formatSecrets(planted, "shell", callerNamed({ allowEnv: ["node_options"] }));
    expect(allowed.text).toContain("export NODE_OPTIONS='--require ./payload.js'\n");
    expect(allowed.leftOut.names("startup")).toEqual(["bash_env"]);
    const only = formatSecrets(planted, "dotenv", callerNamed({ only: "bash_env,DB_URL" }));
    expect(only.text).toContain("bash_env='./payload.sh'\n");
    expect(only.leftOut.names("startup")).toEqual(["NODE_OPTIONS"]);
  });
});
