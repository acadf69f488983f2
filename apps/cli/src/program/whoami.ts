import type { Command } from "commander";
import { whoami } from "../commands/whoami.js";
import { type ContextFor, example } from "./declare.js";

export function declareWhoami(program: Command, contextFor: ContextFor): void {
  program
    .command("whoami")
    .description("Show the endpoint, tenant, role and token name in use.")
    .option("--json", "print JSON")
    .addHelpText("after", example("hush whoami"))
    .action((flags: { json?: boolean }, command: Command) => whoami(flags, contextFor(command)));
}
