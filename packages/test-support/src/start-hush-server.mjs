// Plain JavaScript (typed by start-hush-server.d.mts), so that the benchmarks, which run on plain
// node without a TypeScript build, start hush-server the same way the test suites do.
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The workspace's built `hush-server` command. */
export const HUSH_SERVER_BIN = fileURLToPath(
  new URL("../../../apps/server/dist/bin.js", import.meta.url),
);

const LISTENING = /hush-server listening on (http:\/\/\S+)/;

/** @type {import("./start-hush-server.d.mts").startHushServer} */
export async function startHushServer(args = [], options = {}) {
  const {
    bin = HUSH_SERVER_BIN,
    cwd,
    env = { PATH: process.env.PATH ?? "" },
    nodeOptions = [],
    logFile,
    timeoutMs = 20_000,
  } = options;
  if (!existsSync(bin)) {
    throw new Error(
      `${bin} does not exist: build it first with npm run build (or npx turbo run build --filter=@hush/server...).`,
    );
  }
  const fd = logFile === undefined ? undefined : openSync(logFile, "w");
  const child = spawn(
    process.execPath,
    [...nodeOptions, bin, "start", "--host", "127.0.0.1", "--port", "0", ...args],
    { cwd, env, stdio: ["ignore", fd ?? "pipe", "pipe"] },
  );
  if (fd !== undefined) closeSync(fd);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk) => {
    stderr += chunk;
  });
  // The log file may be gone by the time the server exits (its folder removed first): then its
  // last reading stands.
  let logged = "";
  const readLog = () => {
    try {
      logged = readFileSync(logFile, "utf8");
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
    }
    return logged;
  };
  const output = () => ({ stdout: logFile === undefined ? stdout : readLog(), stderr });
  const exited = new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal, ...output() }));
  });
  const shown = () => {
    const { stdout, stderr } = output();
    return `\n--- stdout\n${stdout}\n--- stderr\n${stderr}`;
  };

  const url = await new Promise((resolve, reject) => {
    let settled = false;
    const settle = (done) => {
      if (settled) return;
      settled = true;
      clearInterval(poll);
      clearTimeout(timer);
      child.stdout?.off("data", check);
      done();
    };
    const check = () => {
      const match = LISTENING.exec(output().stdout);
      if (match !== null) settle(() => resolve(match[1]));
    };
    // A pipe says when output comes; a log file is read every 25 ms.
    child.stdout?.on("data", check);
    const poll = logFile === undefined ? undefined : setInterval(check, 25);
    const timer = setTimeout(() => {
      settle(() => {
        child.kill("SIGKILL");
        reject(
          new Error(
            `hush-server start did not say "listening on" within ${timeoutMs} ms.${shown()}`,
          ),
        );
      });
    }, timeoutMs);
    void exited.then(({ code, signal }) => {
      check();
      settle(() =>
        reject(
          new Error(
            `hush-server start exited early (${signal ?? `exit code ${code}`}) before listening.${shown()}`,
          ),
        ),
      );
    });
  });

  return {
    url,
    child,
    output,
    stop(signal = "SIGTERM") {
      child.kill(signal);
      return exited;
    },
  };
}
