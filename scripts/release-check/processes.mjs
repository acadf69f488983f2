// The child processes of the release check: each one run, tracked and killed at the end, and the
// steps that print what they do and how long it took.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { relative } from "node:path";
import { keep, work } from "./temp.mjs";

const children = new Set();
// Process groups of detached children (npx and the hush-server it starts), killed whole at the end.
const groups = new Set();

/** The environment without the workspace's npm, pnpm and hush settings. */
export function cleanEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|HUSH_|HUSH__)/i.test(key)) env[key] = value;
  }
  return env;
}

/** Runs a command; resolves with its stdout, rejects with its output when it fails. */
export function run(command, args, { cwd, env = cleanEnv(), quiet = false }) {
  return new Promise((resolve, reject) => {
    const child = track(spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] }));
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (!quiet) process.stdout.write(indent(chunk));
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      if (!quiet) process.stderr.write(indent(chunk));
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve(stdout);
      else {
        const shown = [command, ...args]
          .map((part) => (relative(work, part).startsWith("..") ? part : relative(work, part)))
          .join(" ");
        reject(
          new Error(`\`${shown}\` failed (${signal ?? `exit code ${code}`}):\n${stdout}${stderr}`),
        );
      }
    });
  });
}

/** Kills the child at the end of the check, if it is still running. */
export function track(child) {
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}

/** Kills the detached child's whole process group at the end of the check. */
export function trackGroup(child) {
  groups.add(child.pid);
  return track(child);
}

export async function step(title, action) {
  const start = performance.now();
  console.log(`\n▸ ${title}`);
  const result = await action();
  console.log(`  ✓ ${seconds(start)}`);
  return result;
}

export function cleanUp() {
  for (const child of children) child.kill("SIGKILL");
  for (const group of groups) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // already gone
    }
  }
  if (keep) console.log(`The temporary folder is kept: ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

export function seconds(start) {
  return `${((performance.now() - start) / 1000).toFixed(1)} s`;
}

function indent(chunk) {
  return String(chunk).replace(/^(?=.)/gm, "  ");
}
