import { readFileSync } from "node:fs";
import { CliError, usageError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";
import { canPrompt, promptHidden, readStdin } from "./prompts.js";

export interface ValueSource {
  value?: string | undefined;
  fromFile?: string | undefined;
  json?: boolean | undefined;
}

/**
 * The value `hush secrets set` stores: the argument; else `--from-file`; else a hidden prompt on
 * a terminal; else stdin (one trailing newline dropped, as `echo` adds it). With `--json` it is
 * parsed as JSON (objects are stored as JSON). Error messages never quote the value.
 */
export async function readValue(name: string, source: ValueSource): Promise<unknown> {
  if (source.value !== undefined && source.fromFile !== undefined) {
    throw usageError("Pass the value or --from-file, not both.");
  }
  let text: string;
  if (source.value !== undefined) {
    text = source.value;
  } else if (source.fromFile !== undefined) {
    try {
      text = readFileSync(source.fromFile, "utf8");
    } catch (error) {
      throw new CliError(
        ExitCode.ERROR,
        "FILE_UNREADABLE",
        `Cannot read ${source.fromFile} (${(error as NodeJS.ErrnoException).code}). Pass a readable file.`,
      );
    }
  } else if (canPrompt()) {
    text = await promptHidden(`Value for ${name}`);
  } else {
    text = (await readStdin()).replace(/\r?\n$/, "");
  }
  if (!source.json) return text;
  try {
    return JSON.parse(text);
  } catch {
    throw usageError(
      `The value for ${name} is not valid JSON (--json). Check its quotes and commas.`,
    );
  }
}
