import { execFileSync } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { testDir } from "@hush/test-support";
import { parse as parseDotenv } from "dotenv";
import { describe, expect, it } from "vitest";
import { CONFIG, TRICKY } from "./fixtures.js";
import { hushInProcess } from "./in-process.js";

describe("local mode", () => {
  it("stores a value with quotes, $, backslashes and newlines so that it reads back exactly", async () => {
    const home = testDir({ ".hush/config.toml": CONFIG });
    const set = await hushInProcess(["secrets", "set", "T", TRICKY, "--local"], { home });
    expect(set.code).toBe(0);
    expect((await hushInProcess(["secrets", "get", "T"], { home })).stdout).toBe(`${TRICKY}\n`);
  });

  it("refuses to edit secrets written as an inline table and changes nothing", async () => {
    const text = '[context]\nsecrets = { A = "1" }\n';
    const home = testDir({ ".hush/config.toml": text });
    const result = await hushInProcess(["secrets", "set", "B", "value-b", "--local"], { home });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Cannot safely edit/);
    expect(result.stderr).not.toContain("value-b");
    expect(readFileSync(join(home, ".hush/config.toml"), "utf8")).toBe(text);
  });

  it("shows the config with secrets masked and their origins", async () => {
    const home = testDir({ ".hush/config.toml": CONFIG });
    const show = await hushInProcess(["config", "show", "--origins"], {
      home,
      env: { HUSH__CLOUD__ENDPOINT: "http://127.0.0.1:9" },
    });
    expect(show.code).toBe(0);
    expect(show.stdout).not.toContain("postgres://db");
    expect(show.stdout).toMatch(/context\.secrets\.DB_URL\s+•+\s+\S+config\.toml:6/);
    expect(show.stdout).toMatch(
      /cloud\.endpoint\s+http:\/\/127\.0\.0\.1:9\s+env HUSH__CLOUD__ENDPOINT/,
    );
  });
});

describe("checks and errors", () => {
  it("config doctor reports unknown keys with a did-you-mean and an unset $VAR in a secret (exit 1)", async () => {
    const home = testDir({
      ".hush/config.toml":
        '[context.secret]\nA = "1"\n[cloud]\nuse_local_secret = false\nendpoint = "http://127.0.0.1:9"\n[context.secrets]\nSTRIPE = "$HUSH_TEST_UNSET_VAR"\n',
    });
    const doctor = await hushInProcess(["config", "doctor"], { home });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/unknown key context\.secret .*did you mean context\.secrets\?/);
    expect(doctor.stdout).toMatch(/did you mean cloud\.use_local_secrets\?/);
    expect(doctor.stdout).toMatch(
      /context\.secrets\.STRIPE .*HUSH_TEST_UNSET_VAR, which is not set/,
    );
    const path = await hushInProcess(["config", "path"], { home });
    expect(path.stdout).toBe(`${join(home, ".hush", "config.toml")}\n`);
  });

  it.skipIf(process.platform === "win32")(
    "refuses an auth.toml other users can read or write, saying the chmod to run",
    async () => {
      const token = "hush_saved_token_0123456789abcdef";
      const home = testDir({
        ".hush/config.toml":
          '[cloud]\nendpoint = "http://127.0.0.1:9"\nuse_local_secrets = false\n',
        ".hush/auth.toml": `["http://127.0.0.1:9"]\napi_key = "${token}"\n`,
      });
      const file = join(home, ".hush/auth.toml");
      for (const mode of [0o644, 0o660]) {
        chmodSync(file, mode);
        const list = await hushInProcess(["secrets", "list"], { home });
        expect(list.code).toBe(1);
        expect(list.stderr).toContain(`chmod 600 ${file}`);
        const doctor = await hushInProcess(["config", "doctor"], { home });
        expect(doctor.code).toBe(1);
        expect(doctor.stdout).toContain(`chmod 600 ${file}`);
        for (const output of [list.stdout, list.stderr, doctor.stdout, doctor.stderr]) {
          expect(output).not.toContain(token);
        }
      }
      chmodSync(file, 0o600);
      // Now the token is used: the (closed) server is what fails.
      expect((await hushInProcess(["secrets", "list"], { home })).code).toBe(5);
    },
  );

  it("imports a dotenv file into the config file, all pairs or none", async () => {
    const home = testDir({ ".hush/config.toml": CONFIG, "a.env": "X=1\nDB_URL=clash\n" });
    const clash = await hushInProcess(["import", join(home, "a.env"), "--local"], { home });
    expect(clash.code).toBe(1);
    expect(readFileSync(join(home, ".hush/config.toml"), "utf8")).toBe(CONFIG);
    expect(
      (await hushInProcess(["import", join(home, "a.env"), "--local", "--overwrite"], { home }))
        .code,
    ).toBe(0);
    const exported = await hushInProcess(["export", "--format", "json"], { home });
    expect(JSON.parse(exported.stdout)).toEqual({ DB_URL: "clash", X: "1" });
  });

  it("prints completion scripts that the shells accept", async () => {
    const home = testDir();
    const bash = await hushInProcess(["completion", "bash"], { home });
    expect(bash.stdout).toContain("complete -F _hush hush");
    execFileSync("bash", ["-n"], { input: bash.stdout });
    expect((await hushInProcess(["completion", "fish"], { home })).stdout).toContain(
      "complete -c hush",
    );
    expect((await hushInProcess(["completion", "tcsh"], { home })).code).toBe(2);
  });
});

describe("values hush refuses before storing", () => {
  const CONFIG = '[context.secrets]\nA = "one"\n';

  it("import refuses NAME= lines by name unless --allow-empty", async () => {
    const home = testDir({ ".hush/config.toml": CONFIG, "in.env": "B=two\nC=\nD=''\n" });
    const refused = await hushInProcess(["import", join(home, "in.env"), "--local"], { home });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/The values for C, D are empty; nothing was stored/);
    expect(readFileSync(join(home, ".hush/config.toml"), "utf8")).toBe(CONFIG);
    const allowed = await hushInProcess(
      ["import", join(home, "in.env"), "--local", "--allow-empty"],
      {
        home,
      },
    );
    expect(allowed.code).toBe(0);
  });
});

describe("export -o FILE", () => {
  it("writes the file atomically with mode 0600, and leaves it untouched when a value fails", async () => {
    const home = testDir({
      ".hush/config.toml": '[context.secrets]\nA = "one"\nB = "two words"\n',
      "old.env": "KEEP=me\n",
    });
    const out = join(home, "old.env");
    const written = await hushInProcess(["export", "-o", out], { home });
    expect(written).toMatchObject({ code: 0, stdout: "" });
    expect(written.stderr).toContain(`Wrote 2 secrets to ${out}.`);
    expect(parseDotenv(readFileSync(out, "utf8"))).toEqual({ A: "one", B: "two words" });
    expect(statSync(out).mode & 0o777).toBe(0o600);

    writeFileSync(out, "KEEP=me\n");
    // Holds all three quote kinds: no dotenv quoting serves it.
    const failing = testDir({
      ".hush/config.toml": '[context.secrets]\nA = "one"\nT = "a\'b\\"c`d"\n',
    });
    const failed = await hushInProcess(["export", "--output", out], { home: failing });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/The value of T cannot be written/);
    expect(readFileSync(out, "utf8")).toBe("KEEP=me\n");
    expect(readdirSync(home).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });
});

describe("import --overwrite", () => {
  it("import --overwrite into the config file leaves unchanged values as they are", async () => {
    const config = '[context.secrets]\nA = "one" # kept as written\nB = "two"\n';
    const home = testDir({ ".hush/config.toml": config, "in.env": "A=one\nB=three\n" });
    const result = await hushInProcess(["import", join(home, "in.env"), "--local", "--overwrite"], {
      home,
    });
    expect(result.stderr).toContain("Imported 2 secrets (1 unchanged, left as they were)");
    expect(readFileSync(join(home, ".hush/config.toml"), "utf8")).toBe(
      config.replace('"two"', '"three"'),
    );
  });
});
