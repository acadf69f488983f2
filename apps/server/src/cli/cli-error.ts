import { HushError } from "@hush/errors";

/** A mistake on the command line or in the environment: a message and an exit code, no stack. */
export class CliError extends HushError {
  override readonly name: string = "CliError";
  readonly exitCode: number;

  constructor(
    message: string,
    options: { exitCode?: number; code?: string; cause?: unknown } = {},
  ) {
    super(options.code ?? "CLI", message, { cause: options.cause });
    this.exitCode = options.exitCode ?? 1;
  }
}

/** A usage error: exit code 2, and the message says which `--help` to read. */
export function usageError(message: string, command?: string): CliError {
  const help = command === undefined ? "hush-server --help" : `hush-server ${command} --help`;
  return new CliError(`${message}\nRun ${help} for usage.`, { exitCode: 2, code: "USAGE" });
}
