import type { Command } from "commander";
import { configPath, configShow } from "../commands/config.js";
import { configDoctor } from "../commands/config-doctor.js";
import { type ContextFor, example } from "./declare.js";

export function declareConfig(program: Command, contextFor: ContextFor): void {
  const config = program.command("config").description("Show and check the hush configuration.");

  config
    .command("show")
    .description("Show every config value (secrets masked), optionally with where it came from.")
    .option(
      "--origins",
      "add where each value came from: default, file:line, env variable, auth.toml or a flag",
    )
    .option("--json", "print JSON")
    .addHelpText("after", example("hush config show --origins"))
    .action((flags: { origins?: boolean; json?: boolean }, command: Command) =>
      configShow(flags, contextFor(command)),
    );

  config
    .command("path")
    .description("Print the path of the user config file.")
    .option("--json", "print JSON: { path, exists }")
    .addHelpText("after", example("hush config path", '$EDITOR "$(hush config path)"'))
    .action((flags: { json?: boolean }, command: Command) =>
      configPath(flags, contextFor(command)),
    );

  config
    .command("doctor")
    .description(
      "Check the setup: file syntax, unknown keys, unset $VARs in secrets, the server and the token.\nExits 1 when anything is wrong.",
    )
    .option("--json", "print JSON")
    .addHelpText("after", example("hush config doctor"))
    .action(async (flags: { json?: boolean }, command: Command) => {
      const context = contextFor(command);
      context.exitCode = await configDoctor(flags, context);
    });
}
