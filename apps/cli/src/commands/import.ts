import { readFileSync } from "node:fs";
import { CliError } from "../cli-error.js";
import type { CommandContext, ModeFlags } from "../command-context.js";
import { ExitCode } from "../exit-codes.js";
import { editLocalSecrets } from "../local-secrets-file.js";
import { refuseEmpty, refuseTooLarge, type ValueCheckFlags } from "../value-checks.js";

export interface ImportInput extends ModeFlags, ValueCheckFlags {
  /** The dotenv file. */
  file: string;
  overwrite?: boolean | undefined;
}

/**
 * `hush import FILE`: sets every NAME=value pair of a dotenv file, in `[context.secrets]` of the
 * config file or on the server in one transaction. Pairs that already hold the value are left
 * as they are.
 */
export async function importSecrets(input: ImportInput, context: CommandContext): Promise<void> {
  const { file } = input;
  const mode = await context.mode(input);
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
  refuseEmpty(pairs, input);
  if (mode === "server") refuseTooLarge(pairs, input);
  const existing =
    mode === "local"
      ? new Set(Object.keys(context.config.context.secrets))
      : new Set(await context.client().secretNames());
  const clashes = pairs.map(([name]) => name).filter((name) => existing.has(name));
  if (clashes.length > 0 && !input.overwrite) {
    throw new CliError(
      ExitCode.ERROR,
      "ALREADY_EXISTS",
      `${clashes.length} secret${clashes.length === 1 ? "" : "s"} already exist: ${clashes.join(", ")}. Nothing was imported; pass --overwrite to replace them.`,
    );
  }
  if (mode === "local") {
    const local = context.config.context.secrets;
    const changed = pairs.filter(([name, value]) => local[name] !== value);
    if (changed.length > 0) {
      editLocalSecrets(
        { path: context.loaded.userConfigPath, env: context.env, home: context.home },
        new Map(changed),
      );
    }
    context.out.info(
      `Imported ${imported(pairs.length, pairs.length - changed.length)} into ${context.loaded.userConfigPath}.`,
    );
    return;
  }
  // The server compares with the current values (for a role that may read them), so that
  // importing the same file again writes no new versions.
  const { secrets } = await context.client().setSecrets(
    pairs.map(([name, value]) => ({ name, value })),
    { skipUnchanged: true },
  );
  const unchanged = secrets.filter((written) => written.unchanged).length;
  context.out.info(`Imported ${imported(pairs.length, unchanged)} on ${context.serverPlace()}.`);
}

/** "3 secrets", or "3 secrets (2 unchanged, left as they were)". */
function imported(count: number, unchanged: number): string {
  const secrets = `${count} secret${count === 1 ? "" : "s"}`;
  return unchanged === 0 ? secrets : `${secrets} (${unchanged} unchanged, left as they were)`;
}
