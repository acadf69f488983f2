import { isHushError } from "@hush/errors";
import { escapeForDisplay } from "@hush/schema/display-text";
import { Command, CommanderError } from "commander";
import { CliError } from "./cli-error.js";
import { registerAccount } from "./commands/account.js";
import { registerCompletion } from "./commands/completion.js";
import { registerConfig } from "./commands/config.js";
import { registerRun } from "./commands/run.js";
import { registerSecrets } from "./commands/secrets.js";
import { registerTransfer } from "./commands/transfer.js";
import { EXIT_CODES_HELP, ExitCode } from "./exit-codes.js";
import { type GlobalOptions, Session } from "./session.js";

declare const HUSH_CLI_VERSION: string | undefined;

/** Exit codes by error code, shared by every layer (`@hush/core`, `@hush/graphql`, the CLI). */
const EXIT_BY_CODE: Readonly<Record<string, ExitCode>> = {
  NOT_FOUND: ExitCode.NOT_FOUND,
  UNAUTHENTICATED: ExitCode.AUTH,
  FORBIDDEN: ExitCode.AUTH,
  NETWORK: ExitCode.UNREACHABLE,
  TIMEOUT: ExitCode.UNREACHABLE,
};

function buildProgram(): Command {
  const program = new Command("hush")
    .description("hush: secrets for your flows, on your machine or on a hush server.")
    .version(version(), "-V, --version")
    .option(
      "--config <file>",
      "the config file (default: $HUSH__USER_CONFIG_PATH or ~/.hush/config.toml)",
    )
    .option("--endpoint <url>", "the hush server (default: [cloud] endpoint of the config)")
    .option("--debug", "print the stack of an error")
    .enablePositionalOptions()
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `\nExamples:\n  $ hush login\n  $ hush secrets set DB_URL\n  $ hush run -- node app.js\n\n${EXIT_CODES_HELP}`,
    );
  let session: Session | undefined;
  const sessionFor = (command: Command) => {
    session ??= new Session(command.optsWithGlobals<GlobalOptions>());
    return session;
  };
  registerSecrets(program, sessionFor);
  registerRun(program, sessionFor);
  registerTransfer(program, sessionFor);
  registerAccount(program, sessionFor);
  registerConfig(program, sessionFor);
  registerCompletion(program);
  const each = (command: Command) => {
    command.exitOverride();
    command.configureOutput({ writeErr: (text) => process.stderr.write(text) });
    for (const sub of command.commands) each(sub);
  };
  each(program);
  return program;
}

/**
 * Runs the `hush` command line and returns its exit code. The one error boundary: a known error
 * prints one line saying what to do next and maps to its exit code; anything else prints its
 * stack (always with `--debug`) and exits 1.
 */
export async function run(argv: readonly string[]): Promise<number> {
  const debug = argv.includes("--debug");
  try {
    await buildProgram().parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : ExitCode.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.code === "commander.help"
      ) {
        return ExitCode.OK;
      }
      return ExitCode.USAGE;
    }
    if (debug) process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    // Messages may quote what the server sent: shown with control and bidi characters escaped.
    if (error instanceof CliError) {
      process.stderr.write(`hush: ${escapeForDisplay(error.message)}\n`);
      return error.exitCode;
    }
    if (isHushError(error)) {
      const exit = EXIT_BY_CODE[error.code] ?? ExitCode.ERROR;
      const hint =
        exit === ExitCode.AUTH ? " Or run `hush login` to save a token for this server." : "";
      process.stderr.write(`hush: ${escapeForDisplay(error.message)}${hint}\n`);
      return exit;
    }
    if (!debug) process.stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    process.stderr.write("hush: an unexpected error; please report it with the stack above.\n");
    return ExitCode.ERROR;
  }
}

function version(): string {
  // The build writes the package's version in; only an unbuilt run has none.
  return typeof HUSH_CLI_VERSION === "string" ? HUSH_CLI_VERSION : "0.0.0-unbuilt";
}
