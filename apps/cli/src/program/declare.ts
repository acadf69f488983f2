import type { Command } from "commander";
import { Option } from "commander";
import type { CommandContext } from "../command-context.js";

/** Gives a command's action the invocation's context (built from the global options). */
export type ContextFor = (command: Command) => CommandContext;

/** The "Examples:" block of a command's --help. */
export function example(...lines: string[]): string {
  return `\nExample${lines.length > 1 ? "s" : ""}:\n${lines.map((l) => `  $ ${l}`).join("\n")}`;
}

/**
 * `--env/-e NAME`: the server environment, over `[cloud] environment`. The program reads it with
 * the global options, so the command's context (its client, `@hush/core`) works in it.
 */
export function envOption(description = ENV_HELP): Option {
  const option = new Option("-e, --env <name>", description);
  ENV_OPTIONS.add(option);
  return option;
}

/** Whether `command` takes {@link envOption} (`tokens create --env` is a list of its own). */
export function takesEnvOption(command: Command): boolean {
  return command.options.some((option) => ENV_OPTIONS.has(option));
}

const ENV_OPTIONS = new WeakSet<Option>();

const ENV_HELP =
  "the server environment (default: [cloud] environment, else the token's only environment, else the tenant's default)";
