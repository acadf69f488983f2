// The published server, started the way a user would: `npx @hush/server start`.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { trackGroup } from "./processes.mjs";

/** `npx @hush/server start` on a free port; resolves once it says where it listens. */
export async function startServer(dataDir, cwd, env) {
  const child = trackGroup(
    spawn(
      "npx",
      [
        "--yes",
        "@hush/server",
        "start",
        "--data-dir",
        dataDir,
        "--port",
        "0",
        "--log-level",
        "warn",
      ],
      {
        cwd,
        env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      },
    ),
  );
  let output = "";
  child.stderr.on("data", (chunk) => (output += chunk));
  const endpoint = await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = /hush-server listening on (\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) =>
      reject(new Error(`npx @hush/server start exited (${code}):\n${output}`)),
    );
  });
  console.log(`  hush-server listening on ${endpoint}`);
  return {
    endpoint,
    async stop() {
      const exited = once(child, "exit");
      // Ctrl-C in a terminal: SIGINT to npx and the hush-server it runs (npx passes no signal on).
      process.kill(-child.pid, "SIGINT");
      const [code, signal] = await exited;
      if (code !== 0 && signal !== "SIGINT") {
        throw new Error(
          `npx @hush/server start ended with ${signal ?? `code ${code}`}:\n${output}`,
        );
      }
      for (let tries = 0; ; tries++) {
        const serving = await fetch(`${endpoint}/healthz`).then(
          () => true,
          () => false,
        );
        if (!serving) break;
        if (tries === 100)
          throw new Error(`hush-server still answers at ${endpoint} after Ctrl-C (SIGINT).`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}
