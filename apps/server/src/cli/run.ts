import { readFileSync } from "node:fs";
import { isHushError } from "@hush/errors";
import { type Command, CommanderError } from "commander";
import { usageError } from "./cli-error.js";
import { type CliIo, processIo } from "./io.js";
import { buildProgram, type ProgramState } from "./program.js";

function version(): string {
  // src/cli/run.ts and dist/cli/run.js are both two folders below package.json.
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return String(pkg.version);
}

/** `token create` for the `create` command under `token`: what its `--help` is asked with. */
function pathOf(command: Command): string | undefined {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.length === 0 ? undefined : names.join(" ");
}

/** Commander's "error: unknown option '--x'" as a sentence. */
function sentence(message: string): string {
  const text = message.replace(/^error: /, "");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.)?]$/.test(text) ? "" : "."}`;
}

/**
 * Help and version go to `io.stdout`; a parsing mistake (an unknown option, a missing value, too
 * many arguments) becomes a usage error naming the `--help` of the command it was made in.
 */
function routeOutput(command: Command, io: CliIo): void {
  command.configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: (text) => io.stderr.write(text),
    outputError: () => {},
  });
  command.exitOverride((error) => {
    if (error.exitCode === 0) throw error;
    throw usageError(sentence(error.message), pathOf(command));
  });
  for (const sub of command.commands) routeOutput(sub, io);
}

/**
 * The `hush-server` command and its one error boundary: known errors print their message and
 * exit with their code; anything else prints its stack and exits 1.
 */
export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    const state: ProgramState = {};
    const program = buildProgram(io, state, version());
    routeOutput(program, io);
    await program.parseAsync(argv, { from: "user" });
    return state.exitCode ?? 0;
  } catch (error) {
    // --help and --version: printed already.
    if (error instanceof CommanderError) return error.exitCode;
    if (isHushError(error)) {
      io.stderr.write(`hush-server: ${error.message}\n`);
      return typeof (error as { exitCode?: unknown }).exitCode === "number"
        ? (error as unknown as { exitCode: number }).exitCode
        : 1;
    }
    io.stderr.write(
      `hush-server: unexpected error, please report it:\n${(error as Error)?.stack ?? String(error)}\n`,
    );
    return 1;
  }
}
