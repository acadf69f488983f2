import { type Command, Option } from "commander";
import { type RunInput, runWithSecrets } from "../commands/run.js";
import { collect, STARTUP_HELP } from "../environment-rules.js";
import { type ContextFor, envOption, example } from "./declare.js";

const NUL_HELP = `A secret that no environment variable can hold (a NUL byte in its value, "=" in its name)
is left out with a warning; named with --only, it stops hush before the command starts (exit 2).`;

export function declareRun(program: Command, contextFor: ContextFor): void {
  program
    .command("run")
    .description(
      "Run a command with the secrets as environment variables (objects as JSON text). Its exit " +
        "code is hush's; SIGINT, SIGTERM and SIGHUP are passed to it; stdin, stdout and stderr are its own.",
    )
    .argument("<command...>", "the command and its arguments, after --")
    .option("--only <names>", "only these secrets, comma-separated (one server round trip)")
    .option("--prefix <prefix>", "put this before every variable name")
    .option(
      "--allow-env <name>",
      "set this variable although it changes how programs start (NODE_OPTIONS, PATH…); repeatable",
      collect,
    )
    .option(
      "--mask",
      "replace secret values (4+ characters), and their base64, URL and JSON forms, in the\n" +
        "command's output by <redacted:NAME> (what it cannot catch: see the README)",
    )
    .addOption(
      new Option("--local", "only [context.secrets] of the config file").conflicts("cloud"),
    )
    .addOption(new Option("--cloud", "only the hush server"))
    .addOption(envOption())
    .passThroughOptions()
    .addHelpText(
      "after",
      `${example("hush run -- node app.js", "hush run --only DB_URL,API_KEY --mask -- npm test")}\n\n${STARTUP_HELP}\n\n${NUL_HELP}`,
    )
    .action(async (argv: string[], flags: Omit<RunInput, "argv">, command: Command) => {
      const context = contextFor(command);
      context.exitCode = await runWithSecrets({ ...flags, argv }, context);
    });
}
