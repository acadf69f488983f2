import { type Command, Option } from "commander";
import { type ImportInput, importSecrets } from "../commands/import.js";
import { NO_SIZE_CHECK_HELP } from "../value-checks.js";
import { type ContextFor, envOption, example } from "./declare.js";

export function declareImport(program: Command, contextFor: ContextFor): void {
  program
    .command("import")
    .description(
      "Set every NAME=value pair of a dotenv file; on the server in one transaction (all or nothing).",
    )
    .argument("<file>", "a dotenv file")
    .option(
      "--overwrite",
      "replace secrets that already exist (those already holding the value are left as they are)",
    )
    .option("--allow-empty", "import empty values (NAME= lines are refused otherwise)")
    .option("--no-size-check", NO_SIZE_CHECK_HELP)
    .addOption(
      new Option("--local", "into [context.secrets] of the config file").conflicts("cloud"),
    )
    .addOption(new Option("--cloud", "onto the hush server"))
    .addOption(envOption())
    .addHelpText("after", example("hush import .env", "hush import prod.env --cloud --overwrite"))
    .action((file: string, flags: Omit<ImportInput, "file">, command: Command) =>
      importSecrets({ ...flags, file }, contextFor(command)),
    );
}
