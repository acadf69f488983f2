import type { Command } from "commander";
import { completionScript, SHELLS } from "../commands/completion.js";
import { type ContextFor, example } from "./declare.js";

export function declareCompletion(program: Command, contextFor: ContextFor): void {
  program
    .command("completion")
    .description("Print a shell completion script for hush.")
    .addArgument(program.createArgument("<shell>", "bash, zsh or fish").choices(SHELLS))
    .addHelpText(
      "after",
      example(
        "hush completion bash > /etc/bash_completion.d/hush",
        "hush completion zsh > ~/.zfunc/_hush",
        "hush completion fish > ~/.config/fish/completions/hush.fish",
      ),
    )
    .action((shell: (typeof SHELLS)[number], _flags: object, command: Command) => {
      contextFor(command).stdout.write(completionScript(program, shell));
    });
}
