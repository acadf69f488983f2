import type { ChildProcess } from "node:child_process";
import { constants } from "node:os";
import { CliError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";
import type { MaskedOutput, MaskedSinks } from "./mask-stream.js";

/** The signals hush passes on to the command it runs. */
const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** How a command ended: its exit code, or the signal that killed it. */
export interface ChildEnd {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A command hush started (`hush run`, each start of `hush run --watch`). */
export interface RunningChild {
  /** Sends `signal` to the command. */
  kill(signal: NodeJS.Signals): void;
  /** Settles when the command has ended; rejects with a CliError when it could not start. */
  readonly ended: Promise<ChildEnd>;
}

/**
 * Starts `argv` with `env`. Its stdin, stdout and stderr are hush's own (a terminal stays its
 * terminal), unless `mask` is given: then its stdout and stderr go through one masked output
 * that replaces those values (holding a value's possible start for `maskFlushMs`).
 */
export async function startChild(
  argv: readonly string[],
  env: Record<string, string>,
  mask: ReadonlyMap<string, string> | undefined,
  maskFlushMs: number | undefined,
): Promise<RunningChild> {
  const [file, ...args] = argv as [string, ...string[]];
  // Loaded here only: node:child_process (and node:net with it) and node:stream add ~7 ms to
  // every command's start.
  const { spawn } = await import("node:child_process");
  const masking = mask === undefined ? undefined : await import("./mask-stream.js");
  const flushMs = masking === undefined ? 0 : (maskFlushMs ?? masking.MASK_FLUSH_MS);
  const child = spawn(file, args, {
    env,
    stdio: mask === undefined ? "inherit" : ["inherit", "pipe", "pipe"],
  });
  const output =
    mask === undefined || masking === undefined
      ? undefined
      : maskOutput(
          child,
          new masking.MaskedOutput(new masking.MaskRules(mask), sinks(child), flushMs),
        );
  const ended = new Promise<ChildEnd>((resolve, reject) => {
    child.on("error", (error: NodeJS.ErrnoException) => {
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
      output?.end();
      resolve({ code, signal });
    });
  });
  return {
    kill: (signal) => {
      child.kill(signal);
    },
    ended,
  };
}

/**
 * Passes SIGINT, SIGTERM and SIGHUP sent to hush on to `to` (while they are, hush itself is not
 * stopped by them) until the returned function is called.
 */
export function forwardSignals(to: (signal: NodeJS.Signals) => void): () => void {
  const handlers = FORWARDED.map((signal) => [signal, () => to(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

/**
 * hush's exit code for a command's end: its code; when a signal killed it, hush dies of the
 * same signal, so that its caller sees what the command saw (call it once signals are no longer
 * forwarded), and 128 + the signal's number stands in where that cannot be.
 */
export function exitAs(end: ChildEnd): number {
  if (end.signal !== null) {
    process.kill(process.pid, end.signal);
    return 128 + (constants.signals[end.signal] ?? 0);
  }
  return end.code ?? ExitCode.ERROR;
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
