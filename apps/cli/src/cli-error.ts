import { HushError } from "@hush/errors";
import { ExitCode } from "./exit-codes.js";

/**
 * A failure the CLI explains itself: the message says what to do next and is printed as one
 * line; `exitCode` is what the process exits with. It never holds a secret value or a token.
 */
export class CliError extends HushError {
  override readonly name: string = "CliError";
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.exitCode = exitCode;
  }
}

/** A wrong command line, or a confirmation that cannot be asked: exit 2. */
export function usageError(message: string): CliError {
  return new CliError(ExitCode.USAGE, "USAGE", message);
}
