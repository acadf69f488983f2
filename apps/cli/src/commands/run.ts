import { constants } from "node:os";
import { type Command, Option } from "commander";
import { CliError } from "../cli-error.js";
import { ExitCode } from "../exit-codes.js";
import { secretTexts } from "../secret-texts.js";
import type { ModeFlags } from "../session.js";
import { example, type SessionFor } from "./shared.js";

const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export function registerRun(program: Command, session: SessionFor): void {
  program
    .command("run")
    .description(
      "Run a command with the secrets as environment variables (objects as JSON text). Its exit " +
        "code is hush's; SIGINT, SIGTERM and SIGHUP are passed to it; stdin, stdout and stderr are its own.",
    )
    .argument("<command...>", "the command and its arguments, after --")
    .option("--only <names>", "only these secrets, comma-separated (one server round trip)")
    .option("--prefix <prefix>", "put this before every variable name")
    .option(
      "--mask",
      "replace secret values (4+ characters) in the command's output by <redacted:NAME>",
    )
    .addOption(
      new Option("--local", "only [context.secrets] of the config file").conflicts("cloud"),
    )
    .addOption(new Option("--cloud", "only the hush server"))
    .passThroughOptions()
    .addHelpText(
      "after",
      example("hush run -- node app.js", "hush run --only DB_URL,API_KEY --mask -- npm test"),
    )
    .action(
      async (
        argv: string[],
        flags: ModeFlags & { only?: string; prefix?: string; mask?: boolean },
        command: Command,
      ) => {
        const s = session(command);
        const mode = await s.mode(flags);
        const values = await secretTexts(s, mode, flags);
        const env: NodeJS.ProcessEnv = { ...process.env };
        for (const [name, value] of values) env[`${flags.prefix ?? ""}${name}`] = value;
        const code = await runChild(argv, env, flags.mask ? values : undefined);
        process.exitCode = code;
      },
    );
}

async function runChild(
  argv: string[],
  env: NodeJS.ProcessEnv,
  mask: ReadonlyMap<string, string> | undefined,
): Promise<number> {
  const [file, ...args] = argv as [string, ...string[]];
  // Loaded here only: node:child_process (and node:net with it) and node:stream add ~7 ms to
  // every command's start.
  const { spawn } = await import("node:child_process");
  const { MaskStream } = mask === undefined ? {} : await import("../mask-stream.js");
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      env,
      stdio: mask === undefined ? "inherit" : ["inherit", "pipe", "pipe"],
    });
    const forward = (signal: NodeJS.Signals) => () => {
      child.kill(signal);
    };
    const handlers = FORWARDED.map((signal) => [signal, forward(signal)] as const);
    for (const [signal, handler] of handlers) process.on(signal, handler);
    if (mask !== undefined && MaskStream !== undefined) {
      child.stdout?.pipe(new MaskStream(mask)).pipe(process.stdout, { end: false });
      child.stderr?.pipe(new MaskStream(mask)).pipe(process.stderr, { end: false });
    }
    child.on("error", (error: NodeJS.ErrnoException) => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      reject(
        error.code === "ENOENT"
          ? new CliError(
              127 as ExitCode,
              "COMMAND_NOT_FOUND",
              `Command not found: ${file}. Check its name and PATH.`,
            )
          : new CliError(
              ExitCode.ERROR,
              "SPAWN_FAILED",
              `Could not start ${file} (${error.code ?? error.message}).`,
            ),
      );
    });
    child.on("close", (code, signal) => {
      for (const [s, handler] of handlers) process.off(s, handler);
      if (signal !== null) {
        // Die of the same signal, so our caller sees what the command saw.
        process.kill(process.pid, signal);
        resolve(128 + (constants.signals[signal] ?? 0));
        return;
      }
      resolve(code ?? ExitCode.ERROR);
    });
  });
}
