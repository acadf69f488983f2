import { readFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { writeFileAtomic } from "../atomic-write.js";
import { CliError } from "../cli-error.js";
import { EXPORT_FORMATS, type ExportFormat, formatSecrets } from "../dotenv-format.js";
import { callerNamed, collect, STARTUP_HELP } from "../environment-rules.js";
import { ExitCode } from "../exit-codes.js";
import { editLocalSecrets } from "../local-secrets-file.js";
import { secretTexts } from "../secret-texts.js";
import type { ModeFlags } from "../session.js";
import {
  NO_SIZE_CHECK_HELP,
  refuseEmpty,
  refuseTooLarge,
  type ValueCheckFlags,
} from "../value-checks.js";
import { example, type SessionFor } from "./shared.js";

export function registerTransfer(program: Command, session: SessionFor): void {
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
    .addHelpText(
      "after",
      `${example(
        "hush export -o .env",
        'eval "$(hush export --format shell)"',
        "hush export --format json --only DB_URL",
      )}\n\n${STARTUP_HELP} json output holds every secret.`,
    )
    .action(
      async (
        flags: ModeFlags & {
          format: ExportFormat;
          only?: string;
          allowEnv?: string[];
          output?: string;
        },
        command: Command,
      ) => {
        const s = session(command);
        const named = callerNamed(flags);
        const values = await secretTexts(s, await s.mode(flags), flags);
        const { text, leftOut } = formatSecrets(values, flags.format, named);
        leftOut.warn(s.out);
        if (flags.output === undefined) {
          process.stdout.write(text);
          return;
        }
        // Atomic: a value that cannot be written fails above, before the file is touched.
        try {
          writeFileAtomic(flags.output, text, 0o600);
        } catch (error) {
          throw new CliError(
            ExitCode.ERROR,
            "FILE_UNWRITABLE",
            `Cannot write ${flags.output} (${(error as NodeJS.ErrnoException).code}); it was left as it was. Pass a file in a folder you can write to.`,
          );
        }
        s.out.info(`Wrote ${values.size - leftOut.size} secrets to ${flags.output}.`);
      },
    );

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
    .addHelpText("after", example("hush import .env", "hush import prod.env --cloud --overwrite"))
    .action(async (file: string, flags: ImportFlags, command: Command) => {
      const s = session(command);
      const mode = await s.mode(flags);
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        throw new CliError(
          ExitCode.ERROR,
          "FILE_UNREADABLE",
          `Cannot read ${file} (${(error as NodeJS.ErrnoException).code}). Pass a readable dotenv file.`,
        );
      }
      // Loaded here only: no other command needs a dotenv parser.
      const { parse } = await import("dotenv");
      const pairs = Object.entries(parse(text));
      if (pairs.length === 0) {
        throw new CliError(
          ExitCode.ERROR,
          "EMPTY_IMPORT",
          `${file} has no NAME=value lines; nothing was imported.`,
        );
      }
      refuseEmpty(pairs, flags);
      if (mode === "server") refuseTooLarge(pairs, flags);
      const existing =
        mode === "local"
          ? new Set(Object.keys(s.config.context.secrets))
          : new Set(await s.client().secretNames());
      const clashes = pairs.map(([name]) => name).filter((name) => existing.has(name));
      if (clashes.length > 0 && !flags.overwrite) {
        throw new CliError(
          ExitCode.ERROR,
          "ALREADY_EXISTS",
          `${clashes.length} secret${clashes.length === 1 ? "" : "s"} already exist: ${clashes.join(", ")}. Nothing was imported; pass --overwrite to replace them.`,
        );
      }
      if (mode === "local") {
        const local = s.config.context.secrets;
        const changed = pairs.filter(([name, value]) => local[name] !== value);
        if (changed.length > 0) {
          editLocalSecrets(
            { path: s.loaded.userConfigPath, env: s.env, home: s.home },
            new Map(changed),
          );
        }
        s.out.info(
          `Imported ${imported(pairs.length, pairs.length - changed.length)} into ${s.loaded.userConfigPath}.`,
        );
        return;
      }
      // The server compares with the current values (for a role that may read them), so that
      // importing the same file again writes no new versions.
      const { secrets } = await s.client().setSecrets(
        pairs.map(([name, value]) => ({ name, value })),
        { skipUnchanged: true },
      );
      const unchanged = secrets.filter((written) => written.unchanged).length;
      s.out.info(`Imported ${imported(pairs.length, unchanged)} on ${s.credentials().endpoint}.`);
    });
}

type ImportFlags = ModeFlags & ValueCheckFlags & { overwrite?: boolean };

/** "3 secrets", or "3 secrets (2 unchanged, left as they were)". */
function imported(count: number, unchanged: number): string {
  const secrets = `${count} secret${count === 1 ? "" : "s"}`;
  return unchanged === 0 ? secrets : `${secrets} (${unchanged} unchanged, left as they were)`;
}
