import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type RealServer, startRealServer } from "@hush/integration-tests/real-server";
import { testDir } from "@hush/test-support";
import { describe, expect, it, onTestFinished } from "vitest";
import { BIN } from "./hush.js";
import { hushInProcess } from "./in-process.js";

// `hush run --watch` and `hush inject --watch` (issue 24): the built binary against the real
// hush-server in this process, following its `secretChanges`.

/**
 * A command for `hush run --watch`: each start appends "start PID VALUE" to `log`; SIGHUP
 * appends "hup PID"; SIGTERM appends "term PID" and ends it; it exits 7 when `exit` exists.
 */
const COMMAND = `
const fs = require("node:fs");
const [log, exit] = process.argv.slice(1);
const note = (s) => fs.appendFileSync(log, s + "\\n");
note("start " + process.pid + " " + process.env.V);
console.log("value: " + process.env.V);
process.on("SIGHUP", () => note("hup " + process.pid));
process.on("SIGTERM", () => { note("term " + process.pid); process.exit(0); });
process.on("SIGINT", () => { note("int " + process.pid); process.exit(130); });
setInterval(() => { if (fs.existsSync(exit)) process.exit(7); }, 50);
`;

interface Watched {
  readonly process: ChildProcess;
  readonly home: string;
  /** The lines the command wrote so far. */
  log(): string[];
  /** The command's starts so far: [pid, value]. */
  starts(): Array<[string, string]>;
  stdout(): string;
  stderr(): string;
  /** Resolves with hush's exit code (or the signal it died of). */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A real server holding V (and W), and a home whose config uses it with `token`'s role. */
async function serverAndHome(role: "TENANT_ADMIN" | "RUNNER" = "RUNNER") {
  const server = await startRealServer({ secrets: { V: "one", W: "w" } });
  const home = testDir({
    ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\nuse_local_secrets = false\n`,
  });
  return { server, home, token: server.tokens[role] };
}

/** Starts `hush ARGS` (the built binary) with a temp home, keeping its stderr. */
function spawnHush(home: string, token: string, args: string[]) {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("HUSH") && value !== undefined) env[key] = value;
  }
  Object.assign(env, { HOME: home, NO_COLOR: "1", HUSH__CLOUD__API_KEY: token });
  const child = spawn(process.execPath, [BIN, ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  return { child, stdout: () => stdout, stderr: () => stderr, closed };
}

/** Starts `hush run --watch FLAGS -- node COMMAND` and waits for the command's first start. */
async function watchRun(home: string, token: string, flags: string[] = []): Promise<Watched> {
  const logFile = join(home, "log.txt");
  const exitFile = join(home, "exit");
  const { child, stdout, stderr, closed } = spawnHush(home, token, [
    "run",
    "--watch",
    "--cloud",
    "--grace-period",
    "2",
    ...flags,
    "--",
    process.execPath,
    "-e",
    COMMAND,
    logFile,
    exitFile,
  ]);
  const log = () =>
    existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").filter(Boolean) : [];
  const starts = () =>
    log()
      .filter((l) => l.startsWith("start "))
      .map((l) => l.split(" ").slice(1) as [string, string]);
  const watched = { process: child, home, log, starts, stdout, stderr, closed };
  await until(() => starts().length === 1, "the command's first start", watched);
  return watched;
}

/** Polls `check` every 50 ms for up to `ms` (10 s by default); fails naming `what`. */
async function until(
  check: () => boolean,
  what: string,
  watched?: { stderr(): string },
  ms = 10_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; hush's stderr: ${watched?.stderr()}`);
    }
    await sleep(50);
  }
}

function isRunning(pid: string): boolean {
  try {
    process.kill(Number(pid), 0);
    return true;
  } catch {
    return false;
  }
}

/** `hush secrets set NAME VALUE` as the tenant admin, in-process. */
async function set(server: RealServer, home: string, name: string, value: string) {
  const result = await hushInProcess(["secrets", "set", name, value, "--cloud"], {
    home,
    env: { HUSH__CLOUD__API_KEY: server.tokens.TENANT_ADMIN },
  });
  expect(result.code, result.stderr).toBe(0);
}

describe("hush run --watch against a real hush-server", () => {
  it("restarts the command with the new value within 5 s of hush secrets set", async () => {
    const { server, home, token } = await serverAndHome();
    const watched = await watchRun(home, token);
    const [[firstPid, firstValue]] = watched.starts() as [[string, string]];
    expect(firstValue).toBe("one");

    await set(server, home, "V", "two");
    await until(() => watched.starts().length === 2, "a restart within 5 s", watched, 5_000);
    const [, [secondPid, secondValue]] = watched.starts() as [unknown, [string, string]];
    expect(secondValue).toBe("two");
    expect(secondPid).not.toBe(firstPid);
    // Stopped with SIGTERM, before the new one started.
    expect(watched.log().slice(0, 3)).toEqual([
      `start ${firstPid} one`,
      `term ${firstPid}`,
      `start ${secondPid} two`,
    ]);
    expect(isRunning(firstPid)).toBe(false);
    expect(watched.stderr()).toContain("hush: V changed; restarting the command.");
    expect(watched.stderr()).not.toMatch(/\bone\b|\btwo\b/);

    // A change of a secret to the same value restarts nothing.
    await set(server, home, "V", "two");
    await sleep(2_000);
    expect(watched.starts()).toHaveLength(2);

    // The command's own exit ends hush with its code.
    writeFileSync(join(home, "exit"), "");
    expect(await watched.closed).toEqual({ code: 7, signal: null });
  }, 60_000);

  it("keeps the running command and warns when the new values cannot be read", async () => {
    const { server, home, token } = await serverAndHome();
    const watched = await watchRun(home, token, ["--only", "V,W"]);
    const [[pid]] = watched.starts() as [[string, string]];

    // W deleted: the change comes, the read of V and W fails (W is not found).
    const deleted = await hushInProcess(["secrets", "delete", "W", "--cloud", "--yes"], {
      home,
      env: { HUSH__CLOUD__API_KEY: server.tokens.TENANT_ADMIN },
    });
    expect(deleted.code, deleted.stderr).toBe(0);
    await until(
      () => watched.stderr().includes("Kept the running command"),
      "the warning",
      watched,
    );
    expect(watched.starts()).toHaveLength(1);
    expect(isRunning(pid)).toBe(true);

    // Once the values can be read again, they apply.
    await set(server, home, "W", "w2");
    await until(() => watched.starts().length === 2, "a restart", watched);
    expect(watched.starts()[1]?.[1]).toBe("one");
    watched.process.kill("SIGTERM");
    await watched.closed;
  }, 60_000);

  it("keeps the running command when its token is revoked at the time of the change", async () => {
    const { server, home, token } = await serverAndHome();
    const watched = await watchRun(home, token);
    const [[pid]] = watched.starts() as [[string, string]];
    const revoked = await hushInProcess(["tokens", "revoke", "runner"], {
      home,
      env: { HUSH__CLOUD__API_KEY: server.tokens.TENANT_ADMIN },
    });
    expect(revoked.code, revoked.stderr).toBe(0);
    await set(server, home, "V", "two");
    await until(
      () => /Kept the running command|Cannot follow changes/.test(watched.stderr()),
      "a warning",
      watched,
      30_000,
    );
    expect(watched.starts()).toEqual([[pid, "one"]]);
    expect(isRunning(pid as string)).toBe(true);
    expect(watched.stderr()).not.toContain(token);
    watched.process.kill("SIGTERM");
    await watched.closed;
  }, 60_000);

  it("keeps the running command while the server is down, and follows again when it is back", async () => {
    const { server, home, token } = await serverAndHome();
    const watched = await watchRun(home, token);
    const [[pid]] = watched.starts() as [[string, string]];
    await server.stop();
    await until(
      () => watched.stderr().includes("Cannot follow changes"),
      "the warning",
      watched,
      30_000,
    );
    expect(isRunning(pid as string)).toBe(true);
    await server.start();
    await until(() => watched.stderr().includes("again."), "following again", watched, 30_000);
    await set(server, home, "V", "three");
    await until(() => watched.starts().length === 2, "a restart", watched);
    expect(watched.starts()[1]?.[1]).toBe("three");
    // Warned once for the outage, however many polls failed.
    expect(watched.stderr().match(/Cannot follow changes/g)).toHaveLength(1);
    watched.process.kill("SIGTERM");
    await watched.closed;
  }, 90_000);

  it("coalesces rapid changes: five sets in a second restart at most twice", async () => {
    const { server, home, token } = await serverAndHome();
    const watched = await watchRun(home, token);
    for (let i = 1; i <= 5; i++) {
      await server.setSecrets({ V: `v${i}` });
      await sleep(200);
    }
    await until(() => watched.starts().at(-1)?.[1] === "v5", "the last value", watched);
    await sleep(2_000);
    expect(watched.starts().length).toBeLessThanOrEqual(3);
    watched.process.kill("SIGTERM");
    await watched.closed;
  }, 60_000);

  it("--signal SIGHUP sends it on a change and does not restart", async () => {
    const { server, home, token } = await serverAndHome();
    const watched = await watchRun(home, token, ["--signal", "SIGHUP"]);
    const [[pid]] = watched.starts() as [[string, string]];
    await set(server, home, "V", "two");
    await until(() => watched.log().includes(`hup ${pid}`), "SIGHUP", watched);
    expect(watched.starts()).toHaveLength(1);
    expect(watched.stderr()).toContain("hush: V changed; sent SIGHUP to the command.");
    watched.process.kill("SIGTERM");
    expect(await watched.closed).toEqual({ code: 0, signal: null });
    expect(watched.log()).toContain(`term ${pid}`);
  }, 60_000);

  it("--mask masks the values each start of the command was given", async () => {
    const { server, home, token } = await serverAndHome();
    await server.setSecrets({ V: "first-value" });
    const watched = await watchRun(home, token, ["--mask"]);
    await set(server, home, "V", "second-value");
    await until(() => watched.starts().length === 2, "a restart", watched);
    await until(() => watched.stdout().split("\n").length > 2, "the second output", watched);
    expect(watched.starts().map(([, value]) => value)).toEqual(["first-value", "second-value"]);
    expect(watched.stdout()).toBe("value: <redacted:V>\nvalue: <redacted:V>\n");
    watched.process.kill("SIGTERM");
    await watched.closed;
  }, 60_000);

  it("passes SIGINT to the command and exits with its code", async () => {
    const { home, token } = await serverAndHome();
    const watched = await watchRun(home, token);
    const [[pid]] = watched.starts() as [[string, string]];
    watched.process.kill("SIGINT");
    expect(await watched.closed).toEqual({ code: 130, signal: null });
    expect(watched.log()).toContain(`int ${pid}`);
  }, 30_000);

  it("refuses --watch on local secrets, and --signal without --watch (exit 2)", async () => {
    const home = testDir({ ".hush/config.toml": '[context.secrets]\nV = "local"\n' });
    const local = await hushInProcess(["run", "--watch", "--", "true"], { home });
    expect(local.code).toBe(2);
    expect(local.stderr).toContain("--watch follows the hush server's changes");
    const signal = await hushInProcess(["run", "--signal", "HUP", "--", "true"], { home });
    expect(signal.code).toBe(2);
    expect(signal.stderr).toContain("--signal and --grace-period go with --watch");
  });
});

describe("hush inject --watch against a real hush-server", () => {
  it("renders again after a set and after a template edit, runs --exec, keeps 0600", async () => {
    const { server, home } = await serverAndHome("TENANT_ADMIN");
    const template = join(home, "app.tpl");
    const output = join(home, "app.conf");
    const marker = join(home, "reloaded");
    writeFileSync(template, "v={{ hush://V }}\n");
    const { child, stderr, closed } = spawnHush(home, server.tokens.TENANT_ADMIN, [
      "inject",
      "-i",
      template,
      "-o",
      output,
      "--watch",
      "--exec",
      `echo x >> ${JSON.stringify(marker)}`,
    ]);
    const read = () => (existsSync(output) ? readFileSync(output, "utf8") : "");
    await until(() => read() === "v=one\n", "the first render", { stderr });
    expect(existsSync(marker)).toBe(false);

    await set(server, home, "V", "two");
    await until(() => read() === "v=two\n", "a render after the set", { stderr });
    await until(() => existsSync(marker), "--exec", { stderr });
    expect(statSync(output).mode & 0o777).toBe(0o600);

    writeFileSync(template, "w={{ hush://W }} v={{ hush://V }}\n");
    await until(() => read() === "w=w v=two\n", "a render after the edit", { stderr });
    // The edit named W: its changes are followed now.
    await set(server, home, "W", "w2");
    await until(() => read() === "w=w2 v=two\n", "a render after W's set", { stderr });

    // A missing name keeps the last good file, with a warning.
    writeFileSync(template, "{{ hush://NOPE }}\n");
    await until(() => stderr().includes("Kept"), "the warning", { stderr });
    expect(read()).toBe("w=w2 v=two\n");
    expect(stderr()).not.toMatch(/\btwo\b|w2/);

    child.kill("SIGTERM");
    expect(await closed).toEqual({ code: 143, signal: null });
  }, 60_000);
});
