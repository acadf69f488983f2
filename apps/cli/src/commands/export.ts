import { writePrivateFileSync } from "@hush/config/private-file";
import { CliError } from "../cli-error.js";
import type { CommandContext, ModeFlags } from "../command-context.js";
import { type ExportFormat, formatSecrets } from "../dotenv-format.js";
import { callerNamed } from "../environment-rules.js";
import { ExitCode } from "../exit-codes.js";
import { secretTexts } from "../secret-texts.js";

export interface ExportInput extends ModeFlags {
  format: ExportFormat;
  only?: string | undefined;
  allowEnv?: string[] | undefined;
  /** The file to write (mode 0600) instead of stdout. */
  output?: string | undefined;
}

/** `hush export`: the secrets as dotenv, JSON or shell text, on stdout or into a file. */
export async function exportSecrets(input: ExportInput, context: CommandContext): Promise<void> {
  const named = callerNamed(input);
  const values = await secretTexts(context, await context.mode(input), input);
  const { text, leftOut } = formatSecrets(values, input.format, named);
  leftOut.warn(context.out);
  if (input.output === undefined) {
    context.stdout.write(text);
    return;
  }
  // Atomic: a value that cannot be written fails above, before the file is touched.
  try {
    writePrivateFileSync(input.output, text, 0o600);
  } catch (error) {
    throw new CliError(
      ExitCode.ERROR,
      "FILE_UNWRITABLE",
      `Cannot write ${input.output} (${(error as NodeJS.ErrnoException).code}); it was left as it was. Pass a file in a folder you can write to.`,
    );
  }
  context.out.info(`Wrote ${values.size - leftOut.size} secrets to ${input.output}.`);
}
