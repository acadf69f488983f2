import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { startRealServer } from "@hush/integration-tests/real-server";
import { hasUnsafeDisplayChars } from "@hush/schema/display-text";
import { testDir } from "@hush/test-support";
import { parse as parseDotenv } from "dotenv";
import { describe, expect, it } from "vitest";
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
/** Values that every dotenv reader can be given exactly (see dotenvQuote). */
const DOTENV_SAFE = {
  Q: `a 'single' quote, # and =\nnew line ünï €`,
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
        const list = await hush(["secrets", "list"], { home });
        expect(list.code).toBe(1);
        expect(list.stderr).toContain(`chmod 600 ${file}`);
        const doctor = await hush(["config", "doctor"], { home });
        expect(doctor.code).toBe(1);
        expect(doctor.stdout).toContain(`chmod 600 ${file}`);
        for (const output of [list.stdout, list.stderr, doctor.stdout, doctor.stderr]) {
          expect(output).not.toContain(token);
        }
      }
      chmodSync(file, 0o600);
      // Now the token is used: the (closed) server is what fails.
      expect((await hush(["secrets", "list"], { home })).code).toBe(5);
    },
  );

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

  /** A child's script: `steps` run in turn, each after the last write was flushed. */
  const childScript = (steps: string) =>
    `const out = (s) => new Promise((r) => process.stdout.write(s, r));
     const err = (s) => new Promise((r) => process.stderr.write(s, r));
     const pause = (ms) => new Promise((r) => setTimeout(r, ms));
     const v = process.env.TOKEN;
     (async () => { ${steps} })();`;

  /** `hush run --mask` with stdout and stderr on one file, as a terminal shows them. */
  /**
   * Runs `steps` under `hush run --mask`, holding a value's start for 10 s: the child's pauses
   * stand for "a later write", and no load on the machine makes them as long as that.
   */
  async function runMasked(home: string, steps: string): Promise<string> {
    const file = join(home, "output.txt");
    const fd = openSync(file, "w");
    const child = spawn(
      process.execPath,
      [BIN, "run", "--mask", "--", process.execPath, "-e", childScript(steps)],
      {
        env: { ...process.env, HOME: home, HUSH_MASK_FLUSH_MS: "10000" },
        stdio: ["ignore", fd, fd],
      },
    );
    const code = await new Promise((resolve) => child.on("close", resolve));
    closeSync(fd);
    expect(code).toBe(0);
    return readFileSync(file, "utf8");
  }

  it("masks a value's base64, URL, JSON and CRLF forms, and one split across writes", async () => {
    const value = "s3cr3t/välue+42 &x";
    const lines = "first line of it\nsecond line of it";
    const home = testDir({
      ".hush/config.toml": `[context.secrets]\nTOKEN = "${value}"\nLINES = "${lines.replace("\n", "\\n")}"\n`,
    });
    const output = await runMasked(
      home,
      `await out("split " + v.slice(0, 7)); await pause(50); await out(v.slice(7) + ".\\n");
       await err("err split " + v.slice(0, 3)); await pause(50); await err(v.slice(3) + ".\\n");
       await out("base64 " + Buffer.from(v).toString("base64") + "\\n");
       await out("basic " + Buffer.from("user:" + v).toString("base64") + "\\n");
       await out("base64url " + Buffer.from(v).toString("base64url") + "\\n");
       await out("url " + encodeURIComponent(v) + "\\n");
       await out("json " + JSON.stringify({ v }) + "\\n");
       await out("crlf " + process.env.LINES.replace(/\\n/g, "\\r\\n") + "\\n");`,
    );
    const forms = [
      value,
      Buffer.from(value).toString("base64"),
      Buffer.from(`user:${value}`).toString("base64"),
      Buffer.from(value).toString("base64url"),
      encodeURIComponent(value),
      JSON.stringify(value),
      lines.replace("\n", "\r\n"),
    ];
    for (const form of forms) expect(output).not.toContain(form);
    // Nor a piece of the value long enough to tell.
    expect(output).not.toMatch(/s3cr|välue|first line|second line/);
    expect(output).toContain("split <redacted:TOKEN>.\n");
    expect(output).toContain("err split <redacted:TOKEN>.\n");
    expect(output).toContain("crlf <redacted:LINES>\n");
  });

  it("keeps the order of stdout and stderr while it holds back the start of a value", async () => {
    const home = testDir({ ".hush/config.toml": '[context.secrets]\nTOKEN = "abcdefgh"\n' });
    const output = await runMasked(
      home,
      `await out("one abcd"); await pause(20); await err("two\\n"); await pause(20);
       await out("-three\\n"); await err("four abc"); await pause(20); await out("five\\n");
       await pause(20); await err("defgh six\\n");`,
    );
    // "two" waits for "abcd" to be decided; "five" waits behind "abc", which turns into a label.
    expect(output).toBe("one abcdtwo\n-three\nfour <redacted:TOKEN>five\n six\n");
  });

  it("lets held-back output go after a moment, so that a prompt is shown", async () => {
    const home = testDir({ ".hush/config.toml": '[context.secrets]\nTOKEN = "abcdefgh"\n' });
    const script = childScript(
      `await out("answer: abcd"); process.stdin.once("data", () => out("ok\\n").then(() => process.exit(0)));`,
    );
    const child = spawn(
      process.execPath,
      [BIN, "run", "--mask", "--", process.execPath, "-e", script],
      {
        env: { ...process.env, HOME: home },
      },
    );
    let out = "";
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (d) => {
        out += d;
        if (out.includes("answer: abcd")) resolve();
      });
    });
    child.stdin.end("y\n");
    await new Promise((resolve) => child.on("close", resolve));
    expect(out).toBe("answer: abcdok\n");
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

function withoutHushVariables(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("HUSH")));
}

/** A config whose local secrets would run payloads in every program started with them. */
function plantedHome(extra = "") {
  const home = testDir({
    ".hush/config.toml": "",
    "payload.cjs":
      'require("node:fs").writeFileSync(require("node:path").join(__dirname, "node-payload-ran"), "");\n',
    "payload.sh": 'touch "$HOME/bash-payload-ran"\n',
    "s.sh": 'printf "script ran"\n',
  });
  writeFileSync(
    join(home, ".hush/config.toml"),
    `[context.secrets]\nNODE_OPTIONS = "--require ${home}/payload.cjs"\nBASH_ENV = "${home}/payload.sh"\nPATH = "/nowhere"\nNODE_ENV = "production"\n${extra}`,
  );
  const ran = () =>
    ["node-payload-ran", "bash-payload-ran"].filter((f) => readdirSync(home).includes(f));
  return { home, ran };
}

describe("secrets named like start-up variables", () => {
  const PRINT = "process.stdout.write(process.env.NODE_ENV + '|' + process.env.PATH)";

  it("are left out of hush run unless named, with a warning that names them without values", async () => {
    const { home, ran } = plantedHome();
    const node = await hush(["run", "--", process.execPath, "-e", PRINT], { home });
    expect(node).toMatchObject({ code: 0, stdout: `production|${process.env.PATH}` });
    expect(node.stderr).toMatch(
      /Left out NODE_OPTIONS, BASH_ENV, PATH: as environment variables they change how programs start\. Name one with --allow-env NAME or --only NAME/,
    );
    expect(node.stderr).not.toMatch(/payload|nowhere/);
    const bash = await hush(["run", "--", "bash", join(home, "s.sh")], { home });
    expect(bash).toMatchObject({ code: 0, stdout: "script ran" });
    expect(ran()).toEqual([]);

    const allowed = await hush(
      ["run", "--allow-env", "node_options", "--", process.execPath, "-e", PRINT],
      { home },
    );
    expect(allowed.stderr).toMatch(/Left out BASH_ENV, PATH:/);
    expect(ran()).toEqual(["node-payload-ran"]);
    const only = await hush(["run", "--only", "BASH_ENV", "--", "bash", join(home, "s.sh")], {
      home,
    });
    expect(only).toMatchObject({ code: 0, stdout: "script ran", stderr: "" });
    expect(ran()).toEqual(["node-payload-ran", "bash-payload-ran"]);
  });

  it('are left out of eval "$(hush export --format shell)" and of dotenv unless named', async () => {
    const { home, ran } = plantedHome();
    const script = (flags: string) =>
      `eval "$("$NODE" "$BIN" export --format shell ${flags})"\n"$NODE" -e 0\nbash ./s.sh\nprintf " %s" "$NODE_ENV"`;
    const env = { ...withoutHushVariables(), HOME: home, NODE: process.execPath, BIN };
    const run = (flags: string) =>
      spawnSync("bash", ["-c", script(flags)], { cwd: home, env, encoding: "utf8" });
    const plain = run("");
    expect(plain.stdout).toBe("script ran production");
    expect(plain.stderr).toMatch(/Left out NODE_OPTIONS, BASH_ENV, PATH:/);
    expect(plain.stderr).not.toMatch(/payload|nowhere/);
    expect(ran()).toEqual([]);
    const dotenv = await hush(["export"], { home });
    expect(parseDotenv(dotenv.stdout)).toEqual({ NODE_ENV: "production" });
    expect(run("--allow-env NODE_OPTIONS --allow-env BASH_ENV").stdout).toBe(
      "script ran production",
    );
    expect(ran()).toEqual(["node-payload-ran", "bash-payload-ran"]);
  });
});

describe("values and names an environment cannot hold", () => {
  const EXTRA = `UNICODE = "h\\u00e9llo \\u0000 nul-value"\n"__proto__" = "proto-value"\n"A=B" = "eq-value"\n"db.url" = "dotted"\n`;
  const SHOW =
    "process.stdout.write(JSON.stringify(['__proto__', 'db.url', 'A', 'UNICODE', 'NODE_ENV'].map((k) => process.env[k])))";

  it("hush run passes __proto__ and dotted names, leaves out a NUL value or a name with = by name", async () => {
    const { home } = plantedHome(EXTRA);
    const run = await hush(["run", "--", process.execPath, "-e", SHOW], { home });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(["proto-value", "dotted", null, null, "production"]);
    expect(run.stderr).toMatch(/Left out UNICODE: the value holds a NUL byte/);
    expect(run.stderr).toMatch(/Left out A=B: not an environment variable name/);
    expect(run.stderr).not.toMatch(/nul-value|eq-value|TypeError|\n\s+at /);
  });

  it("hush run --only a NUL value stops before the command starts (exit 2); export refuses it", async () => {
    const { home } = plantedHome(EXTRA);
    const started = join(home, "started");
    const run = await hush(
      [
        "run",
        "--only",
        "UNICODE,NODE_ENV",
        "--",
        process.execPath,
        "-e",
        `require("node:fs").writeFileSync(${JSON.stringify(started)}, "")`,
      ],
      { home },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/UNICODE cannot be passed to the command: its value holds a NUL/);
    expect(readdirSync(home)).not.toContain("started");
    for (const format of ["shell", "dotenv"]) {
      const exported = await hush(["export", "--format", format], { home });
      expect(exported.code).toBe(1);
      expect(exported.stderr).toMatch(
        new RegExp(`The value of UNICODE cannot be written in ${format} format .*NUL byte`),
      );
      expect(exported.stdout).toBe("");
      for (const output of [run.stderr, exported.stderr]) {
        expect(output).not.toMatch(/nul-value|TypeError/);
      }
    }
  });
});

describe("against a real hush-server", () => {
  it("a USER cannot plant NODE_OPTIONS; an admin's is left out of a RUNNER's hush run unless named", async () => {
    const server = await startRealServer();
    const { home, ran } = plantedHome();
    writeFileSync(
      join(home, ".hush/config.toml"),
      `[cloud]\nendpoint = "${server.url}"\nuse_local_secrets = false\n`,
    );
    const payload = `--require ${home}/payload.cjs`;
    const as = (role: "USER" | "TENANT_ADMIN" | "RUNNER") => ({
      HUSH__CLOUD__API_KEY: server.tokens[role],
    });
    const planted = await hush(["secrets", "set", "NODE_OPTIONS"], {
      home,
      env: as("USER"),
      input: payload,
    });
    expect(planted.code).toBe(4);
    expect(planted.stderr).toMatch(
      /Only a TENANT_ADMIN may set NODE_OPTIONS: it changes how programs start/,
    );
    expect(planted.stderr).not.toContain("payload");
    for (const [name, value] of [
      ["NODE_OPTIONS", payload],
      ["BASH_ENV", `${home}/payload.sh`],
      ["API_KEY", "k3y"],
    ]) {
      const set = await hush(["secrets", "set", name!], {
        home,
        env: as("TENANT_ADMIN"),
        input: value!,
      });
      expect(set.code).toBe(0);
    }
    const run = await hush(
      ["run", "--", process.execPath, "-e", "process.stdout.write(process.env.API_KEY)"],
      { home, env: as("RUNNER") },
    );
    expect(run).toMatchObject({ code: 0, stdout: "k3y" });
    expect(run.stderr).toMatch(
      /Left out BASH_ENV, NODE_OPTIONS: as environment variables they change how programs start/,
    );
    expect(run.stderr).not.toContain("payload");
    const bash = await hush(["run", "--", "bash", join(home, "s.sh")], { home, env: as("RUNNER") });
    expect(bash.stdout).toBe("script ran");
    expect(ran()).toEqual([]);
    await hush(["run", "--only", "NODE_OPTIONS", "--", process.execPath, "-e", "0"], {
      home,
      env: as("RUNNER"),
    });
    expect(ran()).toEqual(["node-payload-ran"]);
  }, 60_000);

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
    // Token events name the token they created or revoked, by name and id.
    const tokenEvents = await hush(["audit", "--action", "REVOKE_API_TOKEN"], { home, env: admin });
    expect(tokenEvents.stdout).toContain(`token "ci" (${id})`);
    const createdEvents = JSON.parse(
      (await hush(["audit", "--action", "CREATE_API_TOKEN", "--json"], { home, env: admin }))
        .stdout,
    );
    expect(createdEvents).toContainEqual(expect.objectContaining({ tokenId: id, tokenName: "ci" }));

    // The tenant's last admin token cannot lock the tenant out: hand over first.
    const adminId = list.find((t: { name: string }) => t.name === "admin").id;
    const lockout = await hush(["tokens", "revoke", adminId], { home, env: admin });
    expect(lockout.code).toBe(1);
    expect(lockout.stderr).toContain("last active TENANT_ADMIN token");
    expect(lockout.stderr).toContain("hush tokens create admin-2 --role TENANT_ADMIN");
    expect((await hush(["whoami"], { home, env: admin })).code).toBe(0);
  }, 180_000);

  it("escapes control and bidi characters in whatever the server sends before printing it", async () => {
    // A database from before names were checked, or a hostile server: the terminal must show
    // what is stored, in order, and never run an escape sequence.
    const server = await startRealServer();
    const home = testDir({ ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\n` });
    const env = { HUSH__CLOUD__API_KEY: server.tokens.TENANT_ADMIN };
    const at = "2030-01-01T00:00:00.000Z";
    const HOSTILE = [
      "evil\u202egnp.exe",
      "esc\u001b[31mred\u001b]0;title\u0007",
      "c1\u0085\u009bz",
    ];
    server.failNext(1, {
      body: JSON.stringify({
        data: {
          apiTokens: HOSTILE.map((name, i) => ({
            id: `id-${i}`,
            name,
            role: "RUNNER",
            created: at,
            expiresAt: null,
            revokedAt: null,
          })),
        },
      }),
    });
    const tokens = await hush(["tokens", "list"], { home, env });
    expect(tokens.code).toBe(0);
    expect(tokens.stdout).toContain("evil\\u202egnp.exe");
    expect(tokens.stdout).toContain("esc\\u001b[31mred\\u001b]0;title\\u0007");
    expect(tokens.stdout).toContain("c1\\u0085\\u009bz");

    server.failNext(1, {
      body: JSON.stringify({
        data: {
          auditEvents: [
            {
              id: "e1",
              action: "READ_SECRET_VALUE",
              secretName: "K",
              version: 1,
              outcome: "SUCCESS",
              actor: "admin\u202e",
              actorTokenId: "0190a4f2-5c3e-7b1a-8d2f-3e4c5b6a7d8e",
              at,
            },
          ],
        },
      }),
    });
    const audit = await hush(["audit"], { home, env });
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/ACTOR\s+ACTOR ID/);
    expect(audit.stdout).toContain("admin\\u202e");
    expect(audit.stdout).toContain("0190a4f2-5c3e-7b1a-8d2f-3e4c5b6a7d8e");

    server.failNext(1, {
      body: JSON.stringify({
        errors: [{ message: "no\u001b[2J\u202e", extensions: { code: "BAD_USER_INPUT" } }],
      }),
    });
    const failed = await hush(["tokens", "list"], { home, env });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("no\\u001b[2J\\u202e");

    for (const output of [tokens, audit, failed]) {
      const printed = (output.stdout + output.stderr).replaceAll("\n", "");
      expect(hasUnsafeDisplayChars(printed)).toBe(false);
    }
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
