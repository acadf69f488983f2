import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { init } from "../../src/cli/commands/init.js";
import { DEFAULT_DATA_DIR } from "../../src/cli/common-options.js";
import type { CliIo } from "../../src/cli/io.js";
import { run } from "../../src/cli/run.js";
import { openService } from "../../src/index.js";

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

/**
 * `hush-server init` in `dir`, then a tenant "acme" holding `rows` secrets S0, S1… with values
 * value-0, value-1…: a data folder for a key rotation to work on.
 */
export async function initWithSecrets(dir: string, rows: number): Promise<void> {
  if ((await init({}, testIo(dir).io)) !== 0) throw new Error("hush-server init failed");
  const service = await openService({ dataDir: join(dir, DEFAULT_DATA_DIR), env: {} });
  try {
    const { token } = await service.createTenant("acme");
    const admin = (await service.authenticate(token))!;
    await service.setSecrets(
      admin,
      Array.from({ length: rows }, (_, i) => ({ name: `S${i}`, value: `value-${i}` })),
    );
  } finally {
    await service.close();
  }
}

/** The data folder's master.key, parsed: `{ current, keys: [{ id, key }] }`. */
export async function readKeyFile(dir: string) {
  return JSON.parse(await readFile(join(dir, DEFAULT_DATA_DIR, "master.key"), "utf8"));
}
