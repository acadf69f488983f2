import { type Command, Option } from "commander";
import { type ExportInput, exportSecrets } from "../commands/export.js";
import { EXPORT_FORMATS } from "../dotenv-format.js";
import { collect, STARTUP_HELP } from "../environment-rules.js";
import { type ContextFor, envOption, example } from "./declare.js";

export function declareExport(program: Command, contextFor: ContextFor): void {
  program
    .command("export")
    .description("Print the secrets as dotenv, JSON or shell text (objects as JSON text).")
    .addOption(
      new Option("--format <format>", "output format").choices(EXPORT_FORMATS).default("dotenv"),
    )
    .option("--only <names>", "only these secrets, comma-separated")
    .option(
      "--allow-env <name>",
      "write this secret although its name changes how programs start (NODE_OPTIONS, PATH…); repeatable",
      collect,
    )
    .option(
      "-o, --output <file>",
      "write to this file (mode 0600), replaced only when every value could be written",
    )
    .addOption(
      new Option("--local", "only [context.secrets] of the config file").conflicts("cloud"),
    )
    .addOption(new Option("--cloud", "only the hush server"))
    .addOption(envOption())
    .addHelpText(
      "after",
      `${example(
        "hush export -o .env",
        'eval "$(hush export --format shell)"',
        "hush export --format json --only DB_URL",
      )}\n\n${STARTUP_HELP} json output holds every secret.`,
    )
    .action((flags: ExportInput, command: Command) => exportSecrets(flags, contextFor(command)));
}
