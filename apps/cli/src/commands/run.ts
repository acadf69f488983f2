import type { ChildProcess } from "node:child_process";
import { constants } from "node:os";
import { CliError } from "../cli-error.js";
import type { CommandContext, ModeFlags } from "../command-context.js";
import {
  type CallerNamed,
  callerNamed,
  holdsNul,
  isEnvironmentName,
  LeftOut,
  mayPass,
} from "../environment-rules.js";
import { ExitCode } from "../exit-codes.js";
import type { MaskedOutput, MaskedSinks } from "../mask-stream.js";
import type { Output } from "../output.js";
import { secretTexts } from "../secret-texts.js";

const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export interface RunInput extends ModeFlags {
  /** The command and its arguments. */
  argv: string[];
  only?: string | undefined;
  prefix?: string | undefined;
  mask?: boolean | undefined;
  allowEnv?: string[] | undefined;
}

/**
 * `hush run -- CMD…`: runs CMD with the secrets as environment variables and returns its exit
 * code. CMD's stdin, stdout and stderr are hush's own; SIGINT, SIGTERM and SIGHUP are passed on.
 */
export async function runWithSecrets(input: RunInput, context: CommandContext): Promise<number> {
  const named = callerNamed(input);
  const mode = await context.mode(input);
  const values = await secretTexts(context, mode, input);
  const env = childEnvironment(values, input.prefix ?? "", named, context.out, context.env);
  const flushMs = input.mask ? maskFlushMs(context.env) : undefined;
  return runChild(input.argv, env, input.mask ? values : undefined, flushMs);
}

/**
 * The command's environment: hush's own, plus each secret that may be passed (see `LeftOut` for
 * those that may not). Built on an object without a prototype, so that a secret named
 * `__proto__` (or `constructor`, `toString`…) is a variable like any other.
 */
export function childEnvironment(
  values: ReadonlyMap<string, string>,
  prefix: string,
  named: CallerNamed,
  out: Output,
  hushEnv: NodeJS.ProcessEnv,
): Record<string, string> {
  const env: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(hushEnv)) {
    if (value !== undefined) env[name] = value;
  }
  const leftOut = new LeftOut();
  for (const [name, value] of values) {
    const variable = `${prefix}${name}`;
    const reason = !isEnvironmentName(variable)
      ? "notEnvironmentName"
      : holdsNul(value)
        ? "nul"
        : !mayPass(name, variable, named)
          ? "startup"
          : undefined;
    if (reason === undefined) env[variable] = value;
    else if (reason !== "startup" && named.only?.has(name)) throw notPassable(name, reason);
    else leftOut.add(reason, name);
  }
  leftOut.warn(out);
  return env;
}

function notPassable(name: string, reason: "notEnvironmentName" | "nul"): CliError {
  const why =
    reason === "nul"
      ? "its value holds a NUL byte, which an environment variable cannot hold"
      : 'its name holds "=" or a NUL byte, which an environment variable\'s name cannot';
  return new CliError(
    ExitCode.USAGE,
    "NOT_PASSABLE",
    `${name} cannot be passed to the command: ${why}. Nothing was run; leave it out of --only, or read it with hush secrets get.`,
  );
}

async function runChild(
  argv: string[],
  env: Record<string, string>,
  mask: ReadonlyMap<string, string> | undefined,
  maskFlush: number | undefined,
): Promise<number> {
  const [file, ...args] = argv as [string, ...string[]];
  // Loaded here only: node:child_process (and node:net with it) and node:stream add ~7 ms to
  // every command's start.
  const { spawn } = await import("node:child_process");
  const masking = mask === undefined ? undefined : await import("../mask-stream.js");
  const flushMs = masking === undefined ? 0 : (maskFlush ?? masking.MASK_FLUSH_MS);
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
    const output =
      mask === undefined || masking === undefined
        ? undefined
        : maskOutput(
            child,
            new masking.MaskedOutput(new masking.MaskRules(mask), sinks(child), flushMs),
          );
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
      output?.end();
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

/**
 * How long `--mask` holds back what could be the start of a value: `HUSH_MASK_FLUSH_MS` (a
 * program that writes a value in slow pieces needs longer), else undefined (the default).
 */
function maskFlushMs(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.HUSH_MASK_FLUSH_MS;
  if (text === undefined || text === "") return undefined;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 1 || ms > 60_000) {
    throw new CliError(
      ExitCode.USAGE,
      "BAD_MASK_FLUSH_MS",
      `HUSH_MASK_FLUSH_MS must be a whole number of milliseconds from 1 to 60000, not "${text}". Nothing was run.`,
    );
  }
  return ms;
}

/** hush's own stdout and stderr, pausing the command's output while they cannot take more. */
function sinks(child: ChildProcess): MaskedSinks {
  const targets = [process.stdout, process.stderr] as const;
  return {
    write: (stream, bytes) => targets[stream].write(bytes),
    pause: () => {
      child.stdout?.pause();
      child.stderr?.pause();
    },
    resume: () => {
      child.stdout?.resume();
      child.stderr?.resume();
    },
  };
}

/** Feeds the command's stdout and stderr, as they come, through one masked output. */
function maskOutput(child: ChildProcess, output: MaskedOutput): MaskedOutput {
  child.stdout?.on("data", (chunk: Buffer) => output.write(0, chunk));
  child.stderr?.on("data", (chunk: Buffer) => output.write(1, chunk));
  const drained = () => output.drained();
  process.stdout.on("drain", drained);
  process.stderr.on("drain", drained);
  child.on("close", () => {
    process.stdout.off("drain", drained);
    process.stderr.off("drain", drained);
  });
  return output;
}
