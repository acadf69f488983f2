import { randomBytes } from "node:crypto";
import { testDir } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { runCli } from "./support/cli.js";

const TOKEN = /hush_[A-Za-z0-9_-]{43}/;

/** `hush-server ARGS` in-process, in a fresh temp folder. */
const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { cwd: testDir(), env });

describe("hush-server's command line, in-process", () => {
  it.each([
    [[], 2],
    [["--help"], 0],
    [["help"], 0],
    [["init", "--help"], 0],
    [["start", "--help"], 0],
    [["migrate", "--help"], 0],
    [["rotate-key", "--help"], 0],
    [["token", "create", "--help"], 0],
    [["token", "list", "--help"], 0],
    [["token", "revoke", "--help"], 0],
    [["tenant", "create", "--help"], 0],
    [["tenant", "--help"], 0],
  ])("hush-server %j prints usage without secrets", async (args, code) => {
    const env = {
      HUSH_MASTER_KEY: randomBytes(32).toString("base64"),
      HUSH_DATABASE_URL: "postgres://u:CANARY-password@db/x",
    };
    const result = await cli(args as string[], env);
    expect(result.code).toBe(code);
    expect(result.stdout).toContain("Usage: hush-server");
    expect(result.stdout).not.toMatch(TOKEN);
    expect(result.stdout).not.toContain(env.HUSH_MASTER_KEY);
    expect(result.stdout).not.toContain("CANARY");
    expect(result.stderr).toBe("");
  });

  it("shows each option's environment variable and default in --help", async () => {
    const start = (await cli(["start", "--help"])).stdout;
    expect(start).toContain("--request-timeout-ms <ms>");
    expect(start).toContain("default 30000");
    expect(start).toMatch(
      /--port <port>\s+The port to listen on, 0 for any free one \(env\s+HUSH_PORT; default 4200\)/,
    );
    expect(start).toMatch(
      /--max-value-bytes <n>\s+The largest value accepted, in bytes of JSON\s+\(default 65536\)/,
    );
    expect(start).toContain("default 8388608, 8 MiB");
    expect(start).toContain("(default 90)");
    expect(start).toContain("(default 1000000)");
    expect(start).toContain("HUSH_RATE_LIMIT_TOKEN; default 200");
    const create = (await cli(["token", "create", "--help"])).stdout;
    expect(create).toContain("Usage: hush-server token create --role ROLE --name NAME [options]");
    expect(create).toMatch(/^ {2}RUNNER {2,}Read secret values/m);
    expect((await cli(["rotate-key", "--help"])).stdout).toContain("--retire");
    expect((await cli(["-v"])).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("lists the commands of token and tenant, and refuses others", async () => {
    const help = await cli(["token", "--help"]);
    for (const sub of ["create", "list", "revoke"]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${sub} `, "m"));
    }
    const unknown = await cli(["token", "delete"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      "hush-server: Unknown command: token delete; token takes create, list, revoke.\nRun hush-server token --help for usage.\n",
    );
    expect((await cli(["token"])).code).toBe(2);
    expect((await cli(["tenant"])).stderr).toContain("tenant takes create.");
    const serve = await cli(["serve"]);
    expect(serve.code).toBe(2);
    expect(serve.stderr).toContain("Unknown command: serve.");
    expect(serve.stderr).toContain("Run hush-server --help for usage.");
  });

  it("refuses unknown options, missing values and extra arguments with a usage error", async () => {
    const unknown = await cli(["token", "create", "--bogus"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--bogus");
    expect(unknown.stderr).toContain("Run hush-server token create --help for usage.");
    const missing = await cli(["start", "--port"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("Run hush-server start --help for usage.");
    expect((await cli(["start", "--version"])).code).toBe(2);
    const extra = await cli(["token", "revoke", "a", "b"]);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain("Run hush-server token revoke --help for usage.");
    expect((await cli(["token", "revoke"])).stderr).toContain("hush-server token list shows them");
    expect((await cli(["tenant", "create", "a", "b"])).code).toBe(2);
    for (const result of [unknown, missing, extra]) expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [["start", "--rate-limit-token", "many"], "--rate-limit-token must be a whole number"],
    [["start", "--log-file", "x", "--log-file-size", "lots"], "--log-file-size"],
    [["start", "--log-file", ""], "--log-file must not be empty."],
    [["start", "--log-level", "loud"], "--log-level must be one of fatal, error"],
    [
      ["start", "--audit-max-age-days", "ninety"],
      "--audit-max-age-days must be a whole number, 0 or more.",
    ],
    [["start", "--max-value-bytes", "0"], "--max-value-bytes must be a whole number of bytes"],
    [["start", "--port", "70000"], "The port must be a whole number from 0 to 65535"],
    [
      ["start", "--max-connections", "many"],
      "--max-connections (or HUSH_MAX_CONNECTIONS) must be a whole number",
    ],
    [["start", "--metrics-port", "x"], "--metrics-port must be a whole number from 0 to 65535"],
    [["rotate-key", "--batch-size", "0"], "--batch-size must be a whole number from 1 to 100000."],
    [["token", "create", "--role", "ROOT", "--name", "x"], "--role must be one of"],
    [["init", "--data-dir", ""], "--data-dir must not be empty."],
  ])("hush-server %j is a usage error", async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("--help for usage.");
  });

  it("reads limits from the environment when no flag is given", async () => {
    const result = await cli(["start"], { HUSH_MAX_CONNECTIONS: "many" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("HUSH_MAX_CONNECTIONS");
    expect((await cli(["start"], { HUSH_PORT: "x" })).stderr).toContain('not "x"');
  });
});
