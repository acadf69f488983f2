import { CliError, usageError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";
import type { OutputStream } from "./output.js";

/**
 * Whether the person running hush can be asked something: stdin and `output`, where the prompt
 * is drawn (stderr), are terminals.
 */
export function canPrompt(output: OutputStream = process.stderr): boolean {
  return process.stdin.isTTY === true && output.isTTY === true;
}

/** Reads a secret without echoing it, on the terminal; the prompt is drawn on stderr. */
export async function promptHidden(message: string): Promise<string> {
  const { isCancel, password } = await import("@clack/prompts");
  const answer = await password({ message, output: process.stderr });
  if (isCancel(answer)) throw cancelled();
  return answer ?? "";
}

/**
 * Asks for confirmation on a terminal; `--yes` skips the question. Without a terminal and
 * without `--yes` it refuses (exit 2), so a script never deletes by accident.
 */
export async function confirmOrRefuse(
  message: string,
  yes: boolean | undefined,
  output: OutputStream = process.stderr,
): Promise<void> {
  if (yes) return;
  if (!canPrompt(output))
    throw usageError(`${message} Pass --yes to confirm when not on a terminal.`);
  const { confirm, isCancel } = await import("@clack/prompts");
  const answer = await confirm({ message, initialValue: false, output: process.stderr });
  if (isCancel(answer)) throw cancelled();
  if (answer !== true) {
    throw new CliError(ExitCode.ERROR, "DECLINED", "Not confirmed; nothing was changed.");
  }
}

/** All of stdin, as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Ctrl-C (or Escape) at a prompt: exit 130, like other command lines. */
function cancelled(): CliError {
  return new CliError(ExitCode.CANCELLED, "CANCELLED", "Cancelled; nothing was changed.");
}
