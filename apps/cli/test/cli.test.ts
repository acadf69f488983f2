import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startRealServer } from "@hush/integration-tests/real-server";
import { testDir } from "@hush/test-support";
import { parse as parseDotenv } from "dotenv";
import { describe, expect, it } from "vitest";
import { CONFIG, DOTENV_SAFE, TRICKY } from "./fixtures.js";
import { hush } from "./hush.js";

describe("local mode", () => {
  it("sets, reads, lists and deletes in [context.secrets], keeping every other byte", async () => {
    const home = testDir({ ".hush/config.toml": CONFIG });
    const file = join(home, ".hush/config.toml");
    expect(
      (await hush(["secrets", "set", "API_KEY", "--local"], { home, input: "s3cret-value\n" }))
        .code,
    ).toBe(0);
    const got = await hush(["secrets", "get", "API_KEY"], { home });
    expect(got).toMatchObject({ code: 0, stdout: "s3cret-value\n" });
    const text = readFileSync(file, "utf8");
    expect(text).toBe(CONFIG.replace("# local only\n", '# local only\nAPI_KEY = "s3cret-value"\n'));

    const list = await hush(["secrets", "list", "--json"], { home });
    expect(JSON.parse(list.stdout)).toEqual([
      { name: "API_KEY", source: "local", set: true },
      { name: "DB_URL", source: "local", set: true },
    ]);
    expect((await hush(["secrets", "delete", "API_KEY"], { home })).code).toBe(2);
    expect((await hush(["secrets", "delete", "API_KEY", "--yes"], { home })).code).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(CONFIG);
    expect((await hush(["secrets", "get", "API_KEY"], { home })).code).toBe(3);
  });

  it("exits 2 on a usage error and documents the exit codes in --help", async () => {
    const home = testDir();
    expect((await hush(["secrets", "nope"], { home })).code).toBe(2);
    const help = await hush(["--help"], { home });
    expect(help.stdout).toMatch(/5 {2}server unreachable/);
  });
});

describe("checks and errors", () => {
  it("keeps values out of stderr, errors and --help", async () => {
    const home = testDir({ ".hush/config.toml": '[context.secrets]\nKEEP = "kept-value-123"\n' });
    const bad = await hush(["secrets", "set", "J", "{not-json-value-456", "--json", "--local"], {
      home,
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not valid JSON/);
    expect(bad.stderr).not.toContain("not-json-value-456");
    const help = await hush(["secrets", "set", "--help"], { home });
    expect(help.stdout).toMatch(/Example/);
    const run = await hush(["run", "--", "hush-no-such-command"], { home });
    expect(run.code).toBe(127);
    for (const output of [bad.stderr, help.stdout, help.stderr, run.stderr]) {
      expect(output).not.toContain("kept-value-123");
    }
  });
});

describe("against a real hush-server", () => {
  it("logs in, sets (JSON too), imports, lists, reads, versions, rolls back, runs and exports", async () => {
    const server = await startRealServer();
    const home = testDir({
      ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\nuse_local_secrets = false\n`,
    });
    const login = await hush(["login"], { home, input: `${server.tokens.TENANT_ADMIN}\n` });
    expect(login.code).toBe(0);
    expect(statSync(join(home, ".hush/auth.toml")).mode & 0o777).toBe(0o600);
    expect(login.stderr).not.toContain(server.tokens.TENANT_ADMIN);

    expect(
      (await hush(["secrets", "set", "DB", "--json", '{"user":"app","pw":"p4ssw0rd!"}'], { home }))
        .code,
    ).toBe(0);
    expect((await hush(["secrets", "set", "DB", "second-value"], { home })).code).toBe(0);
    expect(
      JSON.parse((await hush(["secrets", "versions", "DB", "--json"], { home })).stdout),
    ).toHaveLength(2);
    expect((await hush(["secrets", "rollback", "DB", "1"], { home })).code).toBe(0);
    expect(JSON.parse((await hush(["secrets", "get", "DB", "--json"], { home })).stdout)).toEqual({
      user: "app",
      pw: "p4ssw0rd!",
    });

    const envFile = join(home, "in.env");
    writeFileSync(envFile, `A=one\nB='two words'\nDB=clash\n`);
    const clash = await hush(["import", envFile], { home });
    expect(clash.code).toBe(1);
    expect((await hush(["secrets", "get", "A"], { home })).code).toBe(3);
    expect((await hush(["import", envFile, "--overwrite"], { home })).code).toBe(0);
    expect((await hush(["secrets", "get", "B"], { home })).stdout).toBe("two words\n");
    expect((await hush(["secrets", "set", "T", TRICKY], { home })).code).toBe(0);
    for (const [name, value] of Object.entries(DOTENV_SAFE)) {
      expect((await hush(["secrets", "set", name, "--cloud"], { home, input: value })).code).toBe(
        0,
      );
    }

    const list = JSON.parse((await hush(["secrets", "list", "--json"], { home })).stdout);
    expect(list.map((s: { name: string }) => s.name)).toEqual(["A", "B", "DB", "Q", "R", "S", "T"]);

    const before = server.requests.length;
    const run = await hush(
      [
        "run",
        "--",
        process.execPath,
        "-e",
        "process.stdout.write(process.env.B + '|' + process.env.T)",
      ],
      { home },
    );
    expect(run).toMatchObject({ code: 0, stdout: `two words|${TRICKY}` });
    // Every secret's value in one round trip.
    expect(server.requests.slice(before).map((r) => r.fields)).toEqual([["secretValues"]]);

    const unquotable = await hush(["export"], { home });
    expect(unquotable.code).toBe(1);
    expect(unquotable.stderr).toMatch(/The value of T cannot be written in dotenv format/);
    expect(unquotable.stderr).not.toContain("tick");
    const dotenv = await hush(["export", "--only", "A,B,DB,Q,R,S"], { home });
    expect(parseDotenv(dotenv.stdout)).toEqual({
      A: "one",
      B: "two words",
      DB: "clash",
      ...DOTENV_SAFE,
    });
    const shell = await hush(["export", "--format", "shell"], { home });
    const sh = spawn("sh", ["-c", `${shell.stdout}\nprintf %s "$T"`]);
    let echoed = "";
    sh.stdout.on("data", (d) => {
      echoed += d;
    });
    await new Promise((resolve) => sh.on("close", resolve));
    expect(echoed).toBe(TRICKY);

    const whoami = JSON.parse((await hush(["whoami", "--json"], { home })).stdout);
    expect(whoami).toMatchObject({ tenant: server.tenant, role: "TENANT_ADMIN" });
    const all = [login, clash, run, dotenv].map((r) => r.stderr).join("");
    expect(all).not.toContain("p4ssw0rd!");
  }, 180_000);
});

describe("the code cache that makes hush start fast", () => {
  const cacheFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".v8cache"));
  const LOCAL = { ".hush/config.toml": '[context.secrets]\nAPI_KEY = "abc123"\n' };

  it("is written once to ~/.cache/hush (0700 folder, 0600 file) and read by later runs", async () => {
    const home = testDir(LOCAL);
    const cache = join(home, ".cache/hush");
    expect((await hush(["secrets", "get", "API_KEY"], { home })).stdout).toBe("abc123\n");
    expect(statSync(cache).mode & 0o777).toBe(0o700);
    const [file] = cacheFiles(cache);
    expect(file).toMatch(/^cli\.cjs-/);
    const first = statSync(join(cache, file!));
    expect(first.mode & 0o777).toBe(0o600);
    expect(first.size).toBeGreaterThan(10_000);
    expect((await hush(["secrets", "get", "API_KEY"], { home })).stdout).toBe("abc123\n");
    // Accepted, so not written again.
    expect(statSync(join(cache, file!)).mtimeMs).toBe(first.mtimeMs);
    expect(cacheFiles(cache)).toEqual([file]);
  });

  it("survives a damaged cache file, and replaces it", async () => {
    const home = testDir(LOCAL);
    const cache = join(home, ".cache/hush");
    await hush(["secrets", "get", "API_KEY"], { home });
    const [file] = cacheFiles(cache);
    writeFileSync(join(cache, file!), "not V8's code cache");
    const run = await hush(["secrets", "get", "API_KEY"], { home });
    expect(run).toMatchObject({ code: 0, stdout: "abc123\n", stderr: "" });
    expect(statSync(join(cache, file!)).size).toBeGreaterThan(10_000);
  });

  it("never uses a folder others may write to, and is off with HUSH_COMPILE_CACHE_DIR=off", async () => {
    const home = testDir(LOCAL);
    const shared = join(home, "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    const env = { HUSH_COMPILE_CACHE_DIR: shared };
    expect((await hush(["secrets", "get", "API_KEY"], { home, env })).stdout).toBe("abc123\n");
    expect(cacheFiles(shared)).toEqual([]);
    const off = await hush(["secrets", "get", "API_KEY"], {
      home,
      env: { HUSH_COMPILE_CACHE_DIR: "off" },
    });
    expect(off.stdout).toBe("abc123\n");
    expect(readdirSync(home)).not.toContain(".cache");
  });
});
