import type { CliIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";

/** An io for a command run in-process: no HUSH_* variable of the machine leaks in. */
export function testIo(cwd: string, env: NodeJS.ProcessEnv = {}) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env,
    cwd,
  };
  return { io, stdout: () => stdout, stderr: () => stderr };
}

/** Runs `hush-server ARGS` in-process, parsing included; what the binary would print and exit. */
export async function runCli(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
  const { io, stdout, stderr } = testIo(options.cwd, options.env);
  const code = await run(args, io);
  return { code, stdout: stdout(), stderr: stderr() };
}
