import { type Command, Option } from "commander";
import { usageError } from "../cli-error.js";
import { type RunInput, runWithSecrets } from "../commands/run.js";
import { runWatching, type WatchFlags } from "../commands/run-watch.js";
import { collect, STARTUP_HELP } from "../environment-rules.js";
import { type ContextFor, envOption, example } from "./declare.js";

const NUL_HELP = `A secret that no environment variable can hold (a NUL byte in its value, "=" in its name)
is left out with a warning; named with --only, it stops hush before the command starts (exit 2).`;

const WATCH_HELP = `--watch (server secrets only): when a secret given to the command is set, deleted or
rolled back, hush reads the new values first — if they cannot be read, the running command is
kept, with a warning, and the read is tried again — then restarts the command with them
(SIGTERM, --grace-period, SIGKILL). Changes in a burst are one restart, at most one a second;
a change usually applies within a few seconds. With --signal, the command is sent that signal
instead and keeps running: its environment cannot change, so this is for programs that read
their secrets again themselves (e.g. from files hush inject --watch keeps up to date). When the
command ends by itself, hush ends with its exit code, as without --watch.`;

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
    .option(
      "--watch",
      "follow the server's changes of these secrets: restart the command with the new values",
    )
    .option(
      "--signal <name>",
      "with --watch: send this signal (e.g. SIGHUP) on a change instead of restarting",
    )
    .option(
      "--grace-period <seconds>",
      "with --watch: how long a restart waits after SIGTERM before SIGKILL (default: 10)",
    )
    .addOption(
      new Option("--local", "only [context.secrets] of the config file").conflicts("cloud"),
    )
    .addOption(new Option("--cloud", "only the hush server"))
    .addOption(envOption())
    .passThroughOptions()
    .addHelpText(
      "after",
      `${example("hush run -- node app.js", "hush run --only DB_URL,API_KEY --mask -- npm test", "hush run --watch --cloud -- node server.js")}\n\n${STARTUP_HELP}\n\n${NUL_HELP}\n\n${WATCH_HELP}`,
    )
    .action(
      async (
        argv: string[],
        flags: Omit<RunInput, "argv"> & WatchFlags & { watch?: boolean },
        command: Command,
      ) => {
        const context = contextFor(command);
        const { watch, ...input } = flags;
        if (!watch && (input.signal !== undefined || input.gracePeriod !== undefined)) {
          throw usageError("--signal and --grace-period go with --watch. Nothing was run.");
        }
        context.exitCode = await (watch ? runWatching : runWithSecrets)(
          { ...input, argv },
          context,
        );
      },
    );
}
