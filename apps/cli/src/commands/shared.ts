import type { Command } from "commander";
import type { Session } from "../session.js";

/** Gives a command's action the invocation's session (built from the global options). */
export type SessionFor = (command: Command) => Session;

/** The "Examples:" block of a command's --help. */
export function example(...lines: string[]): string {
  return `\nExample${lines.length > 1 ? "s" : ""}:\n${lines.map((l) => `  $ ${l}`).join("\n")}`;
}
