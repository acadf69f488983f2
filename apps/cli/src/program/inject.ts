import type { Command } from "commander";
import { type InjectInput, inject } from "../commands/inject.js";
import { type ContextFor, envOption, example } from "./declare.js";

const TEMPLATE_HELP = `Template: {{ hush://NAME }} is replaced by the secret NAME of --env (else [cloud]
environment…), {{ hush://ENV/NAME }} by NAME of the environment ENV; blanks inside the braces
are optional. Values go in exactly as stored (a string as it is, other JSON as JSON text); the
rest of the file is copied byte for byte. Every secret of one environment is read in one round
trip (one per environment named). A missing secret fails with exit 3 naming every missing
reference, and nothing is written; a reference that is not a valid name fails with exit 2 and
its line:column.

--watch renders again when a secret the template names, or the template itself, changes
(changes in a burst are one render, at most one a second); the file is replaced only when its
text changed, then --exec runs. An error (server down, a secret deleted) keeps the last good
file, warns, and tries again. It runs until Ctrl-C or SIGTERM.`;

export function declareInject(program: Command, contextFor: ContextFor): void {
  program
    .command("inject")
    .description(
      "Render a template's {{ hush://NAME }} references with the hush server's secret values, to stdout or a file (mode 0600).",
    )
    .requiredOption("-i, --input <template>", "the template file")
    .option(
      "-o, --output <file>",
      "write to this file (mode 0600, replaced atomically) instead of stdout",
    )
    .option("--watch", "render again on each change, until stopped (needs -o)")
    .option("--exec <command>", "with --watch: a shell command to run after each re-render")
    .addOption(envOption())
    .addHelpText(
      "after",
      `${example(
        "hush inject -i config.yml.tpl -o config.yml",
        "hush inject -i nginx.conf.tpl -o /etc/nginx/conf.d/app.conf --watch --exec 'nginx -s reload'",
      )}\n\n${TEMPLATE_HELP}`,
    )
    .action(async (flags: InjectInput, command: Command) => {
      const context = contextFor(command);
      context.exitCode = await inject(flags, context);
    });
}
