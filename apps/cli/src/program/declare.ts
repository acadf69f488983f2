import type { Command } from "commander";
import type { CommandContext } from "../command-context.js";

/** Gives a command's action the invocation's context (built from the global options). */
export type ContextFor = (command: Command) => CommandContext;

/** The "Examples:" block of a command's --help. */
export function example(...lines: string[]): string {
  return `\nExample${lines.length > 1 ? "s" : ""}:\n${lines.map((l) => `  $ ${l}`).join("\n")}`;
}
