import { type ChildEnd, exitAs, forwardSignals, startChild } from "../child-process.js";
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
import type { Output } from "../output.js";
import { secretTexts } from "../secret-texts.js";

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

/** Runs the command to its end, passing hush's signals on, and answers hush's exit code. */
async function runChild(
  argv: string[],
  env: Record<string, string>,
  mask: ReadonlyMap<string, string> | undefined,
  maskFlush: number | undefined,
): Promise<number> {
  const child = await startChild(argv, env, mask, maskFlush);
  const stopForwarding = forwardSignals((signal) => child.kill(signal));
  let end: ChildEnd;
  try {
    end = await child.ended;
  } finally {
    stopForwarding();
  }
  return exitAs(end);
}

/**
 * How long `--mask` holds back what could be the start of a value: `HUSH_MASK_FLUSH_MS` (a
 * program that writes a value in slow pieces needs longer), else undefined (the default).
 */
export function maskFlushMs(env: NodeJS.ProcessEnv): number | undefined {
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
