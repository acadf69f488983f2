import { execFileSync, spawn } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseDotenv } from "dotenv";
import { describe, expect, it } from "vitest";
import { testDir } from "../../../test-utils/test-dir.js";
import { startRealServer } from "../../../tests/support/real-server.js";
import { BIN, hush } from "./hush.js";

const CONFIG = `# my hush config
backend = "cloud"   # the default

[context.secrets]
# the database
DB_URL = "postgres://db" # local only

[cloud]
use_local_secrets = true
`;

const TRICKY = `a 'single' "double" $HOME \`tick\` back\\slash\nnew line ünï €`;
/** Values each of which dotenv's parser can hold (none has all three quote kinds). */
const DOTENV_SAFE = {
  Q: `a 'single' "double" $HOME back\\slash\nnew line ünï € \\n`,
  R: "`tick` $(echo no) \\n literal\nline two",
  S: `"double" \`tick\` $x`,
};

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

  it("stores a value with quotes, $, backslashes and newlines so that it reads back exactly", async () => {
    const home = testDir({ ".hush/config.toml": CONFIG });
    const set = await hush(["secrets", "set", "T", "--local"], { home, input: TRICKY });
    expect(set.code).toBe(0);
    expect((await hush(["secrets", "get", "T"], { home })).stdout).toBe(`${TRICKY}\n`);
  });

  it("refuses to edit secrets written as an inline table and changes nothing", async () => {
    const text = '[context]\nsecrets = { A = "1" }\n';
    const home = testDir({ ".hush/config.toml": text });
    const result = await hush(["secrets", "set", "B", "value-b", "--local"], { home });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Cannot safely edit/);
    expect(result.stderr).not.toContain("value-b");
    expect(readFileSync(join(home, ".hush/config.toml"), "utf8")).toBe(text);
  });

  it("shows the config with secrets masked and their origins", async () => {
    const home = testDir({ ".hush/config.toml": CONFIG });
    const show = await hush(["config", "show", "--origins"], {
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

  it("exits 2 on a usage error and documents the exit codes in --help", async () => {
    const home = testDir();
    expect((await hush(["secrets", "nope"], { home })).code).toBe(2);
    const help = await hush(["--help"], { home });
    expect(help.stdout).toMatch(/5 {2}server unreachable/);
  });
});

describe("checks and errors", () => {
  it("config doctor reports unknown keys with a did-you-mean and an unset $VAR in a secret (exit 1)", async () => {
    const home = testDir({
      ".hush/config.toml":
        '[context.secret]\nA = "1"\n[cloud]\nuse_local_secret = false\nendpoint = "http://127.0.0.1:9"\n[context.secrets]\nSTRIPE = "$HUSH_TEST_UNSET_VAR"\n',
    });
    const doctor = await hush(["config", "doctor"], { home });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/unknown key context\.secret .*did you mean context\.secrets\?/);
    expect(doctor.stdout).toMatch(/did you mean cloud\.use_local_secrets\?/);
    expect(doctor.stdout).toMatch(
      /context\.secrets\.STRIPE .*HUSH_TEST_UNSET_VAR, which is not set/,
    );
    const path = await hush(["config", "path"], { home });
    expect(path.stdout).toBe(`${join(home, ".hush", "config.toml")}\n`);
  });

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

  it("imports a dotenv file into the config file, all pairs or none", async () => {
    const home = testDir({ ".hush/config.toml": CONFIG, "a.env": "X=1\nDB_URL=clash\n" });
    const clash = await hush(["import", join(home, "a.env"), "--local"], { home });
    expect(clash.code).toBe(1);
    expect(readFileSync(join(home, ".hush/config.toml"), "utf8")).toBe(CONFIG);
    expect(
      (await hush(["import", join(home, "a.env"), "--local", "--overwrite"], { home })).code,
    ).toBe(0);
    const exported = await hush(["export", "--format", "json"], { home });
    expect(JSON.parse(exported.stdout)).toEqual({ DB_URL: "clash", X: "1" });
  });

  it("prints completion scripts that the shells accept", async () => {
    const home = testDir();
    const bash = await hush(["completion", "bash"], { home });
    expect(bash.stdout).toContain("complete -F _hush hush");
    execFileSync("bash", ["-n"], { input: bash.stdout });
    expect((await hush(["completion", "fish"], { home })).stdout).toContain("complete -c hush");
    expect((await hush(["completion", "tcsh"], { home })).code).toBe(2);
  });
});

describe("run", () => {
  it("passes the secrets, the exit code, and masks values split across chunks", async () => {
    const home = testDir({ ".hush/config.toml": '[context.secrets]\nTOKEN = "abcdefgh"\n' });
    const script =
      'process.stdout.write("x abcd"); setTimeout(() => { process.stdout.write("efgh y " + process.env.TOKEN.length); process.exit(7); }, 50);';
    const result = await hush(["run", "--mask", "--", process.execPath, "-e", script], { home });
    expect(result.code).toBe(7);
    expect(result.stdout).toBe("x <redacted:TOKEN> y 8");
  });

  /** Starts `hush run -- node -e SCRIPT`, waits for "ready", sends `signal` to hush. */
  async function signalled(script: string, signal: NodeJS.Signals) {
    const home = testDir({ ".hush/config.toml": "" });
    const child = spawn(process.execPath, [BIN, "run", "--", process.execPath, "-e", script], {
      env: { ...process.env, HOME: home },
    });
    let out = "";
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes("ready")) resolve();
      });
    });
    child.kill(signal);
    const [code, died] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on("close", (c, s) => resolve([c, s])),
    );
    return { out, code, died };
  }

  it("passes SIGTERM and SIGHUP to the command and returns its exit code", async () => {
    const handler = (name: string) =>
      `process.on("${name}", () => { console.log("got ${name}"); process.exit(42); }); console.log("ready"); setInterval(() => {}, 1000);`;
    expect(await signalled(handler("SIGTERM"), "SIGTERM")).toMatchObject({
      out: expect.stringContaining("got SIGTERM"),
      code: 42,
    });
    expect(await signalled(handler("SIGHUP"), "SIGHUP")).toMatchObject({
      out: expect.stringContaining("got SIGHUP"),
      code: 42,
    });
  });

  it("dies of the signal that killed the command", async () => {
    const result = await signalled('console.log("ready"); setInterval(() => {}, 1000);', "SIGINT");
    expect(result.died).toBe("SIGINT");
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

  it("manages tokens and the audit log; login refuses a bad token; roles are enforced", async () => {
    const server = await startRealServer();
    const home = testDir({ ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\n` });
    const bad = await hush(["login", "--token", "hush_not-a-real-token"], { home });
    expect(bad.code).toBe(4);
    expect(bad.stderr).not.toContain("hush_not-a-real-token");
    expect(() => statSync(join(home, ".hush/auth.toml"))).toThrow();

    const admin = { HUSH__CLOUD__API_KEY: server.tokens.TENANT_ADMIN };
    const created = await hush(["tokens", "create", "ci", "--role", "RUNNER", "--json"], {
      home,
      env: admin,
    });
    expect(created.code).toBe(0);
    const { id, token } = JSON.parse(created.stdout);
    expect(created.stderr).not.toContain(token);
    const list = JSON.parse(
      (await hush(["tokens", "list", "--json"], { home, env: admin })).stdout,
    );
    expect(list.map((t: { name: string }) => t.name)).toContain("ci");
    expect(JSON.stringify(list)).not.toContain(token);

    const runner = { HUSH__CLOUD__API_KEY: token };
    expect(
      (await hush(["secrets", "set", "K", "v4lue-one", "--cloud"], { home, env: admin })).code,
    ).toBe(0);
    expect((await hush(["secrets", "get", "K", "--cloud"], { home, env: runner })).stdout).toBe(
      "v4lue-one\n",
    );
    const user = { HUSH__CLOUD__API_KEY: server.tokens.USER };
    const forbidden = await hush(["secrets", "get", "K", "--cloud"], { home, env: user });
    expect(forbidden.code).toBe(4);
    expect(forbidden.stderr).not.toContain("v4lue-one");
    expect((await hush(["secrets", "delete", "K", "--cloud"], { home, env: user })).code).toBe(2);
    expect(
      (await hush(["secrets", "delete", "K", "--cloud", "--yes"], { home, env: user })).code,
    ).toBe(0);

    const audit = JSON.parse(
      (await hush(["audit", "--name", "K", "--json"], { home, env: admin })).stdout,
    );
    expect(audit.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(["SET_SECRET", "DELETE_SECRET"]),
    );
    const reads = JSON.parse(
      (await hush(["audit", "--action", "READ_SECRET_VALUE", "--json"], { home, env: admin }))
        .stdout,
    );
    expect(reads.map((e: { action: string; secretName: string }) => e.secretName)).toContain("K");
    expect(new Set(reads.map((e: { action: string }) => e.action))).toEqual(
      new Set(["READ_SECRET_VALUE"]),
    );
    const badAction = await hush(["audit", "--action", "READ"], { home, env: admin });
    expect(badAction.code).toBe(2);
    expect(badAction.stderr).toContain("READ_SECRET_VALUE");
    expect((await hush(["tokens", "revoke", id], { home, env: admin })).code).toBe(0);
    expect((await hush(["secrets", "get", "K", "--cloud"], { home, env: runner })).code).toBe(4);
  }, 180_000);

  it("exits 4 without a token, 3 for a missing secret, 5 when the server is down", async () => {
    const server = await startRealServer();
    const home = testDir({ ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\n` });
    expect((await hush(["secrets", "list", "--cloud"], { home })).code).toBe(4);
    const env = { HUSH__CLOUD__API_KEY: server.tokens.RUNNER };
    expect((await hush(["secrets", "get", "NOPE", "--cloud"], { home, env })).code).toBe(3);
    const doctor = await hush(["config", "doctor"], { home, env });
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain("role RUNNER");
    await server.stop();
    expect((await hush(["secrets", "get", "NOPE", "--cloud"], { home, env })).code).toBe(5);
    expect(
      (
        await hush(["config", "doctor", "--cloud"].slice(0, 2), {
          home,
          env: { ...env, HUSH__CLOUD__USE_LOCAL_SECRETS: "false" },
        })
      ).code,
    ).toBe(1);
  }, 60_000);
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
