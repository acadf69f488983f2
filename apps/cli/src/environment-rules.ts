import { isStartupVariable } from "@hush/schema/startup-variables";
import { usageError } from "./cli-error.js";
import type { Output } from "./output.js";

/**
 * The secrets the caller named on the command line: `--only`'s secrets and `--allow-env`'s
 * variables. A secret named like a start-up variable (see `isStartupVariable`) reaches a
 * program's environment, or a file meant to be sourced, only when it is named here.
 */
export interface CallerNamed {
  /** `--only`'s secret names, when given. */
  readonly only: ReadonlySet<string> | undefined;
  /** `--allow-env`'s variable names, upper-cased. */
  readonly allowEnv: ReadonlySet<string>;
}

/** The names of `--only` (comma-separated) and of every `--allow-env` (repeatable, or commas). */
export function callerNamed(flags: { only?: string; allowEnv?: readonly string[] }): CallerNamed {
  const split = (text: string) =>
    text
      .split(",")
      .map((n) => n.trim())
      .filter((n) => n !== "");
  const allowEnv = (flags.allowEnv ?? []).flatMap(split);
  if (flags.allowEnv !== undefined && allowEnv.length === 0) {
    throw usageError("--allow-env needs a variable name, e.g. --allow-env NODE_OPTIONS.");
  }
  return {
    only: flags.only === undefined ? undefined : new Set(split(flags.only)),
    allowEnv: new Set(allowEnv.map((n) => n.toUpperCase())),
  };
}

/** The paragraph of `run` and `export`'s --help that states the rule. */
export const STARTUP_HELP = `Secrets named like a variable that changes how programs start (NODE_OPTIONS, LD_*,
BASH_ENV, PATH, PYTHON*, GIT_*, HOME…; NODE_ENV is not one) are left out, with a warning naming
them, unless --only or --allow-env names them.`;

/** commander's collector for a repeatable option. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Whether the secret `name`, as the variable `variable`, may be set: not a start-up variable, or named. */
export function mayPass(name: string, variable: string, named: CallerNamed): boolean {
  return (
    !isStartupVariable(variable) ||
    named.only?.has(name) === true ||
    named.allowEnv.has(variable.toUpperCase())
  );
}

/**
 * Whether `name` can be an environment variable's name at all: the operating system's
 * environment is `NAME=value` text ending in a NUL byte, so a name holding `=` or a NUL would be
 * read as another variable (a local secret `"NODE_OPTIONS=--require x"` would set NODE_OPTIONS).
 */
export function isEnvironmentName(name: string): boolean {
  return name !== "" && !name.includes("=") && !name.includes("\0");
}

/** Whether a value holds a NUL byte, which no environment variable and no shell variable can hold. */
export function holdsNul(value: string): boolean {
  return value.includes("\0");
}

/** Why a secret was left out; each reason is one warning line naming the secrets, never a value. */
const REASONS = {
  startup: (names: string) =>
    `Left out ${names}: as environment variables they change how programs start. Name one with --allow-env NAME or --only NAME to pass it.`,
  nul: (names: string) =>
    `Left out ${names}: the value holds a NUL byte, which an environment variable cannot hold. Read it with hush secrets get or hush export --format json.`,
  notEnvironmentName: (names: string) =>
    `Left out ${names}: not an environment variable name (it holds "=" or a NUL byte).`,
  notShellName: (names: string) =>
    `Left out ${names}: not shell variable names (letters, digits and _, not starting with a digit).`,
  notDotenvName: (names: string) =>
    `Left out ${names}: not dotenv names (letters, digits, _, . and -).`,
} as const;

export type LeftOutReason = keyof typeof REASONS;

/** The secrets a command left out, by reason: warned about on stderr, by name only. */
export class LeftOut {
  readonly #names = new Map<LeftOutReason, string[]>();

  add(reason: LeftOutReason, name: string): void {
    const names = this.#names.get(reason) ?? [];
    names.push(name);
    this.#names.set(reason, names);
  }

  /** The names left out for `reason`, in the order they were met. */
  names(reason: LeftOutReason): readonly string[] {
    return this.#names.get(reason) ?? [];
  }

  /** How many names were left out, for every reason. */
  get size(): number {
    let size = 0;
    for (const names of this.#names.values()) size += names.length;
    return size;
  }

  warn(out: Output): void {
    for (const [reason, names] of this.#names) out.warn(REASONS[reason](names.join(", ")));
  }
}
