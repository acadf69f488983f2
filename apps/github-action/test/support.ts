import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { HUSH_SERVER_BIN, type HushServerProcess, startHushServer } from "@hush/test-support";

/** The bundle GitHub runs (built once by build-once.ts). */
export const ACTION = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "index.js");

/** What `$GITHUB_ENV` and `$GITHUB_OUTPUT` hold before the step: earlier steps' lines. */
export const EARLIER_LINES = "EARLIER=from an earlier step\n";

/** How one run of the action ended, and what it left in the file commands. */
export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  githubEnv: string;
  githubOutput: string;
}

/**
 * Runs the built action as the runner does: `node dist/index.js` with each input as
 * `INPUT_<NAME>` (upper-cased, dashes kept), and temp `GITHUB_ENV` / `GITHUB_OUTPUT` files that
 * already hold {@link EARLIER_LINES}. `env` adds variables (the ID-token endpoint's).
 */
export async function runBuiltAction(
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  const dir = await mkdtemp(join(tmpdir(), "hush-action-"));
  try {
    const files = { GITHUB_ENV: join(dir, "env"), GITHUB_OUTPUT: join(dir, "output") };
    await writeFile(files.GITHUB_ENV, EARLIER_LINES);
    await writeFile(files.GITHUB_OUTPUT, EARLIER_LINES);
    const childEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      ...files,
      ...env,
    };
    for (const [name, value] of Object.entries(inputs)) {
      childEnv[`INPUT_${name.replaceAll(" ", "_").toUpperCase()}`] = value;
    }
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((resolve) => {
      const child = execFile(process.execPath, [ACTION], { env: childEnv }, (_, stdout, stderr) =>
        resolve({ code: child.exitCode, stdout, stderr }),
      );
    });
    return {
      code,
      stdout,
      stderr,
      githubEnv: await readFile(files.GITHUB_ENV, "utf8"),
      githubOutput: await readFile(files.GITHUB_OUTPUT, "utf8"),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The variables a file command's text sets, read as the runner reads it: `NAME=value` lines and
 * `NAME<<DELIMITER` blocks whose lines up to the delimiter's own line are the value.
 */
export function parseFileCommand(text: string): Record<string, string> {
  const set: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === "") continue;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    if (heredoc === null) {
      const at = line.indexOf("=");
      set[line.slice(0, at)] = line.slice(at + 1);
      continue;
    }
    const [, name, delimiter] = heredoc;
    const end = lines.indexOf(delimiter!, i + 1);
    if (end === -1) throw new Error(`No end delimiter for ${name}`);
    set[name!] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return set;
}

/** The masks a run registered: the data of each `::add-mask::` line, unescaped. */
export function masksOf(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("::add-mask::"))
    .map((line) =>
      line
        .slice("::add-mask::".length)
        .replaceAll("%0A", "\n")
        .replaceAll("%0D", "\r")
        .replaceAll("%25", "%"),
    );
}

/** Everything a run printed but its masks: what a reader of the log sees. */
export function shownText(run: ActionRun): string {
  const shown = run.stdout.split("\n").filter((line) => !line.startsWith("::add-mask::"));
  return `${shown.join("\n")}\n${run.stderr}`;
}

/** A real `hush-server start` on a fresh data folder, and the admin token `init` printed. */
export interface TestServer {
  readonly url: string;
  readonly adminToken: string;
  readonly dataDir: string;
  readonly home: string;
  /** Runs `hush-server ARGS` (e.g. `trust create …`) on the same data folder; resolves to stdout. */
  cli(args: readonly string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestServer(
  startArgs: readonly string[] = [],
  serverEnv: Record<string, string> = {},
): Promise<TestServer> {
  const home = await mkdtemp(join(tmpdir(), "hush-action-server-"));
  const dataDir = join(home, "data");
  const env = { PATH: process.env.PATH ?? "", HOME: home, ...serverEnv };
  const cli = (args: readonly string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [HUSH_SERVER_BIN, ...args], { env }, (error, stdout, stderr) =>
        error === null
          ? resolve(stdout)
          : reject(new Error(`hush-server ${args.join(" ")}: ${stderr}`)),
      );
    });
  const { token } = JSON.parse(await cli(["init", "--data-dir", dataDir, "--json"])) as {
    token: string;
  };
  let server: HushServerProcess;
  try {
    server = await startHushServer(["--data-dir", dataDir, ...startArgs], { env });
  } catch (error) {
    await rm(home, { recursive: true, force: true });
    throw error;
  }
  return {
    url: server.url,
    adminToken: token,
    dataDir,
    home,
    cli: (args) => cli([...args, "--data-dir", dataDir]),
    async stop() {
      await server.stop();
      await rm(home, { recursive: true, force: true });
    },
  };
}
