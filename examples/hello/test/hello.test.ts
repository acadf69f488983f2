import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const entry = join(dirname(fileURLToPath(import.meta.url)), "../src/index.ts");
let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "hush-hello-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

/** Runs the example as a user would, as a plain Node program with only a config file and env vars. */
function hello(files: Record<string, string>, env: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(home, name), text);
  return spawnSync(
    process.execPath,
    ["--import", "tsx", "--conditions=@hush/source", entry, "HELLO_HUSH"],
    {
      encoding: "utf8",
      cwd: dirname(entry),
      env: { PATH: process.env.PATH ?? "", HOME: home, ...env },
    },
  );
}

describe("examples/hello", () => {
  it("reads a secret from [context.secrets] in the user's config, JSON-decoded", () => {
    const result = hello(
      { "config.toml": '[context.secrets]\nHELLO_HUSH = \'{"greeting": "hi"}\'\n' },
      { HUSH__USER_CONFIG_PATH: join(home, "config.toml") },
    );
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe('Secret("HELLO_HUSH").get() → {"greeting":"hi"}\n');
    expect(result.status).toBe(0);
  });

  it("reads a secret set only through a HUSH__CONTEXT__SECRETS__ variable", () => {
    const result = hello({}, { HUSH__CONTEXT__SECRETS__HELLO_HUSH: "from the environment" });
    expect(result.stdout).toBe('Secret("HELLO_HUSH").get() → "from the environment"\n');
    expect(result.status).toBe(0);
  });

  it("says clearly that a local secret is missing, and exits 1 without a stack", () => {
    const result = hello({}, {});
    expect(result.stderr).toMatch(
      /^hello: Local Secret "HELLO_HUSH" was not found\. Looked only in /,
    );
    expect(result.stderr).not.toContain("    at ");
    expect(result.status).toBe(1);
  });
});
