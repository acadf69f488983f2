import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startRealServer } from "@hush/integration-tests/real-server";
import { testDir } from "@hush/test-support";
import { parse as parseDotenv } from "dotenv";
import { describe, expect, it } from "vitest";
import { BIN, hush } from "./hush.js";

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
});
