import { isHushError } from "@hush/errors";
import { escapeForDisplay } from "@hush/schema/display-text";
import { Command, CommanderError, Option } from "commander";
import { CliError } from "./cli-error.js";
import { CommandContext, type CommandSurroundings, type GlobalOptions } from "./command-context.js";
import { isDebug } from "./debug-flag.js";
import { EXIT_CODES_HELP, ExitCode } from "./exit-codes.js";
import { declareAudit } from "./program/audit.js";
import { declareCompletion } from "./program/completion.js";
import { declareConfig } from "./program/config.js";
import { takesEnvOption } from "./program/declare.js";
import { declareEnv } from "./program/env.js";
import { declareExport } from "./program/export.js";
import { declareImport } from "./program/import.js";
import { declareInject } from "./program/inject.js";
import { declareLogin } from "./program/login.js";
import { declareRun } from "./program/run.js";
import { declareSecrets } from "./program/secrets.js";
import { declareTokens } from "./program/tokens.js";
import { declareTrust } from "./program/trust.js";
import { declareWebhooks } from "./program/webhooks.js";
import { declareWhoami } from "./program/whoami.js";
import { tokenRefused } from "./token-messages.js";

declare const HUSH_CLI_VERSION: string | undefined;

/** Exit codes by error code, shared by every layer (`@hush/core`, `@hush/graphql`, the CLI). */
const EXIT_BY_CODE: Readonly<Record<string, ExitCode>> = {
  NOT_FOUND: ExitCode.NOT_FOUND,
  UNAUTHENTICATED: ExitCode.AUTH,
  IDENTITY_UNAVAILABLE: ExitCode.AUTH,
  FORBIDDEN: ExitCode.AUTH,
  NETWORK: ExitCode.UNREACHABLE,
  TIMEOUT: ExitCode.UNREACHABLE,
};

/** What the error boundary needs to know of the command that ran. */
interface RunState {
  context?: CommandContext;
}

function buildProgram(state: RunState, surroundings: CommandSurroundings): Command {
  const program = new Command("hush")
    .description("hush: secrets for your flows, on your machine or on a hush server.")
    .version(version(), "-V, --version")
    .enablePositionalOptions()
    // Subcommands copy this when they are created: --help lists --endpoint & co. everywhere.
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `\nExamples:\n  $ hush login\n  $ hush secrets set DB_URL\n  $ hush run -- node app.js\n  $ hush run --env staging -- node app.js\n\n${EXIT_CODES_HELP}`,
    );
  const contextFor = (command: Command) => {
    state.context ??= new CommandContext(globalOptions(command), surroundings);
    return state.context;
  };
  declareSecrets(program, contextFor);
  declareEnv(program, contextFor);
  declareRun(program, contextFor);
  declareExport(program, contextFor);
  declareImport(program, contextFor);
  declareInject(program, contextFor);
  declareLogin(program, contextFor);
  declareWhoami(program, contextFor);
  declareTokens(program, contextFor);
  declareTrust(program, contextFor);
  declareWebhooks(program, contextFor);
  declareAudit(program, contextFor);
  declareConfig(program, contextFor);
  declareCompletion(program, contextFor);
  for (const option of globals()) program.addOption(option);
  const stdout = surroundings.stdout ?? process.stdout;
  const stderr = surroundings.stderr ?? process.stderr;
  const each = (command: Command) => {
    command.exitOverride();
    command.configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
    });
    // Typed after the command too (`hush login --endpoint URL`); --help lists them once, as
    // "Global Options".
    if (command !== program) for (const option of globals()) command.addOption(option.hideHelp());
    for (const sub of command.commands) each(sub);
  };
  each(program);
  return program;
}

/** The options every command takes, before or after its name. */
function globals(): Option[] {
  return [
    new Option(
      "--config <file>",
      "the config file (default: $HUSH__USER_CONFIG_PATH or ~/.hush/config.toml)",
    ),
    new Option("--endpoint <url>", "the hush server (default: [cloud] endpoint of the config)"),
    new Option("--debug", "print the stack of an error"),
  ];
}

/** The global options given anywhere on the command line; the one nearest the command wins. */
function globalOptions(command: Command): GlobalOptions {
  const chain: Command[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) chain.unshift(c);
  const merged: GlobalOptions = {};
  for (const c of chain) {
    const { config, endpoint, debug, env } = c.opts<GlobalOptions>();
    if (config !== undefined) merged.config = config;
    if (env !== undefined && takesEnvOption(c)) merged.env = env;
    if (endpoint !== undefined) merged.endpoint = endpoint;
    if (debug !== undefined) merged.debug = debug;
  }
  return merged;
}

/**
 * Runs the `hush` command line and returns its exit code. The one error boundary: a known error
 * prints one line saying what to do next and maps to its exit code; anything else prints its
 * stack (always with `--debug`) and exits 1. `surroundings` are the process's own unless given
 * (tests run commands in-process with a temp home and collected output).
 */
export async function run(
  argv: readonly string[],
  surroundings: CommandSurroundings = {},
): Promise<number> {
  const debug = isDebug(argv);
  const state: RunState = {};
  const stderr = surroundings.stderr ?? process.stderr;
  try {
    await buildProgram(state, surroundings).parseAsync([...argv], { from: "user" });
    return state.context?.exitCode ?? ExitCode.OK;
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
    if (debug) stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    // Messages may quote what the server sent: shown with control and bidi characters escaped.
    if (error instanceof CliError) {
      stderr.write(`hush: ${escapeForDisplay(error.message)}\n`);
      return error.exitCode;
    }
    if (isHushError(error)) {
      const exit = EXIT_BY_CODE[error.code] ?? ExitCode.ERROR;
      // The client names the GraphQL operation a token was refused for; the CLI says where the
      // token came from and what to run instead. (@hush/core's errors say so already.)
      const refused = error.code === "UNAUTHENTICATED" && "operationName" in error;
      const credentials = refused ? state.context?.credentialsIfKnown() : undefined;
      const message = credentials === undefined ? error.message : tokenRefused(credentials);
      stderr.write(`hush: ${escapeForDisplay(message)}\n`);
      return exit;
    }
    if (!debug) stderr.write(`${(error as Error)?.stack ?? String(error)}\n`);
    stderr.write("hush: an unexpected error; please report it with the stack above.\n");
    return ExitCode.ERROR;
  }
}

function version(): string {
  // The build writes the package's version in; only an unbuilt run has none.
  return typeof HUSH_CLI_VERSION === "string" ? HUSH_CLI_VERSION : "0.0.0-unbuilt";
}
