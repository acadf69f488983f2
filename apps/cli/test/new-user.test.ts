import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { configure, resetConfiguration, Secret } from "@hush/core";
import { startRealServer } from "@hush/integration-tests/real-server";
import { testDir } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { BIN, hush, type Result } from "./hush.js";

// What a new user trips over at the binary itself (pipes, prompts, --debug, --help), each
// spawning it; what the commands do is in local-mode.test.ts and server-commands.test.ts.

/** Runs hush with the read end of its stdout (or stderr) closed before it writes anything. */
function hushIntoClosedPipe(
  args: string[],
  closed: "stdout" | "stderr",
  home: string,
): Promise<Result> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: home, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Closed at once: node needs far longer to start than this takes, so every write hits EPIPE.
  child[closed].destroy();
  const open = closed === "stdout" ? child.stderr : child.stdout;
  let text = "";
  open.on("data", (d) => {
    text += d;
  });
  return new Promise((resolve) => {
    child.on("close", (code, signal) =>
      resolve({
        code,
        signal,
        stdout: closed === "stdout" ? "" : text,
        stderr: closed === "stdout" ? text : "",
      }),
    );
  });
}

/**
 * Runs hush on a pseudo-terminal (util-linux `script`), typing `keys` once `ready` shows in its
 * output; resolves with hush's exit code and everything it drew.
 */
function hushOnTerminal(
  args: string[],
  options: { home: string; ready: string; keys: string },
): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(" ");
  const child = spawn("script", ["-qefc", command, "/dev/null"], {
    env: { PATH: process.env.PATH ?? "", HOME: options.home, NO_COLOR: "1", TERM: "xterm" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  let typed = false;
  const onData = (d: Buffer) => {
    output += d;
    if (!typed && output.includes(options.ready)) {
      typed = true;
      child.stdin.write(options.keys);
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return new Promise((resolve) => {
    child.on("close", (code) => resolve({ code, output }));
  });
}

describe("output into a closed pipe (hush … | head -1)", () => {
  it("ends quietly when stdout is closed, for help and for data", async () => {
    const home = testDir({ ".hush/config.toml": '[context.secrets]\nA = "one"\n' });
    for (const args of [["--help"], ["secrets", "set", "--help"], ["config", "show"]]) {
      const result = await hushIntoClosedPipe(args, "stdout", home);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
    }
  });

  it("keeps its exit code when stderr is closed", async () => {
    const home = testDir();
    const result = await hushIntoClosedPipe(["secrets", "nope"], "stderr", home);
    expect(result.code).toBe(2);
  });
});

describe("--debug", () => {
  it("prints the stack in the TypeScript sources, through the source map the package ships", async () => {
    const home = testDir({ ".hush/config.toml": "backend = 3\n" });
    const debug = await hush(["secrets", "list", "--debug"], { home });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at validate \(\S*validate\.ts:\d+:\d+\)/);
    expect(debug.stderr).toMatch(/^ConfigError: /m); // not the bundle's shortened class name
    const plain = await hush(["secrets", "list"], { home });
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    // The package publishes dist, the map with it.
    const dist = dirname(BIN);
    const manifest = JSON.parse(readFileSync(join(dist, "..", "package.json"), "utf8"));
    expect(manifest.files).toContain("dist");
    expect(readFileSync(join(dist, "cli.cjs"), "utf8")).toMatch(
      /sourceMappingURL=cli\.cjs\.map\s*$/,
    );
    expect(existsSync(join(dist, "cli.cjs.map"))).toBe(true);
  });
});

describe("prompts", () => {
  it("Ctrl-C at a prompt exits 130 and changes nothing", async () => {
    const config = '[context.secrets]\nA = "one"\n';
    const home = testDir({ ".hush/config.toml": config });
    const result = await hushOnTerminal(["secrets", "set", "X", "--local"], {
      home,
      ready: "◆",
      keys: "\x03",
    });
    expect(result.output).toContain("Cancelled; nothing was changed.");
    expect(result.code).toBe(130);
  });
});

describe("help texts", () => {
  it("every command's --help lists the global options it takes", async () => {
    const help = await hush(["login", "--help"], { home: testDir() });
    expect(help.stdout).toMatch(/Global Options:[\s\S]*--endpoint <url>[\s\S]*--debug/);
    expect(help.stdout.match(/--endpoint <url>/g)).toHaveLength(1);
  });

  it("hush run --help has no line break inside a sentence", async () => {
    const help = await hush(["run", "--help"], { home: testDir() });
    expect(help.stdout).toContain("Its exit code is hush's;");
  });

  it("secrets versions --help says what the VALUE column means", async () => {
    const help = await hush(["secrets", "versions", "--help"], { home: testDir() });
    expect(help.stdout).toMatch(/VALUE.*kept.*dropped/s);
  });
});

describe("values hush refuses before storing", () => {
  const CONFIG = '[context.secrets]\nA = "one"\n';

  it("refuses an empty value from the argument, stdin or the prompt (exit 2), unless --allow-empty", async () => {
    const home = testDir({ ".hush/config.toml": CONFIG });
    const file = join(home, ".hush/config.toml");
    const fromArgument = await hush(["secrets", "set", "A", "", "--local"], { home });
    expect(fromArgument.code).toBe(2);
    expect(fromArgument.stderr).toMatch(/The value for A is empty; nothing was stored/);
    const fromStdin = await hush(["secrets", "set", "A", "--local"], { home, input: "\n" });
    expect(fromStdin.code).toBe(2);
    const atPrompt = await hushOnTerminal(["secrets", "set", "A", "--local"], {
      home,
      ready: "◆",
      keys: "\r",
    });
    expect(atPrompt.output).toContain("is empty");
    expect(atPrompt.code).toBe(2);
    expect(readFileSync(file, "utf8")).toBe(CONFIG);

    const allowed = await hush(["secrets", "set", "A", "--local", "--allow-empty"], { home });
    expect(allowed.code).toBe(0);
    expect((await hush(["secrets", "get", "A"], { home })).stdout).toBe("\n");
  });

  it("refuses a value over the server's 64 KiB limit before sending it, naming the limit", async () => {
    // Nothing listens at this endpoint: anything sent would fail with exit 5.
    const home = testDir({ ".hush/config.toml": '[cloud]\nendpoint = "http://127.0.0.1:9"\n' });
    const big = "x".repeat(2 * 1024 * 1024);
    const env = { HUSH__CLOUD__API_KEY: "hush_test-token" };
    const set = await hush(["secrets", "set", "BIG", "--cloud"], { home, input: big, env });
    expect(set.code).toBe(2);
    expect(set.stderr).toMatch(/BIG is 2097154 bytes as JSON.*at most 65536 bytes \(64 KiB\)/);
    expect(set.stderr).not.toContain("xxxx");
    writeFileSync(join(home, "big.env"), `SMALL=1\nBIG=${big}\n`);
    const imported = await hush(["import", join(home, "big.env"), "--cloud"], { home, env });
    expect(imported.code).toBe(2);
    expect(imported.stderr).toMatch(/BIG is \d+ bytes/);
    const unchecked = await hush(["secrets", "set", "BIG", "--cloud", "--no-size-check"], {
      home,
      input: big,
      env,
    });
    expect(unchecked.code).toBe(5);
  });
});

describe("against a real hush-server", () => {
  it("takes global options after the command, and remembers a login as the default server", async () => {
    const server = await startRealServer({ secrets: { K: "from-the-server" } });
    const home = testDir();
    const login = await hush(["login", "--endpoint", server.url], {
      home,
      input: `${server.tokens.TENANT_ADMIN}\n`,
    });
    expect(login.stderr).toContain(`hush now uses ${server.url} when the config names no server.`);
    expect(login.code).toBe(0);

    // No config names a server: every command, and Secret.get(), use the one logged in to.
    const whoami = await hush(["whoami", "--json"], { home });
    expect(JSON.parse(whoami.stdout)).toMatchObject({
      endpoint: server.url,
      tenant: server.tenant,
    });
    configure({ homeDir: home, env: { HUSH__CLOUD__USE_LOCAL_SECRETS: "false" } });
    try {
      expect(await new Secret("K").get()).toBe("from-the-server");
    } finally {
      resetConfiguration();
    }
    const origins = await hush(["config", "show", "--origins"], { home });
    expect(origins.stdout).toMatch(
      new RegExp(`cloud\\.endpoint\\s+${server.url.replaceAll(".", "\\.")}\\s+\\S*auth\\.toml`),
    );
    const doctor = await hush(["config", "doctor"], { home });
    expect(doctor.stdout).toMatch(/hush login` saved in \S*auth\.toml\) is reachable/);

    // After the command, as in `hush login --help`, for the other global options too.
    const other = testDir({ "other.toml": '[cloud]\nendpoint = "http://127.0.0.1:9"\n' });
    const viaFlag = await hush(["whoami", "--config", join(other, "other.toml"), "--debug"], {
      home,
    });
    expect(viaFlag.code).toBe(5);
    const list = await hush(["secrets", "list", "--cloud", "--endpoint", server.url, "--json"], {
      home,
    });
    expect(JSON.parse(list.stdout)).toMatchObject([{ name: "K" }]);

    // A server the config names stays the one used; logging out forgets the default.
    const named = testDir({ ".hush/config.toml": '[cloud]\nendpoint = "http://127.0.0.1:9"\n' });
    const second = await hush(["login", "--endpoint", server.url], {
      home: named,
      input: server.tokens.USER,
    });
    expect(second.code).toBe(0);
    expect(second.stderr).not.toContain("hush now uses");
    expect(readFileSync(join(named, ".hush/auth.toml"), "utf8")).not.toMatch(
      /^default_endpoint =/m,
    );
    expect((await hush(["logout"], { home })).code).toBe(0);
    expect(readFileSync(join(home, ".hush/auth.toml"), "utf8")).not.toMatch(/^default_endpoint =/m);
    expect((await hush(["whoami"], { home })).stderr).toContain("127.0.0.1:4200");
  }, 60_000);
});
