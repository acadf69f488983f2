import pino from "pino";

/** Where a command reads its environment and writes its output; the process's by default. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
  cwd: string;
  /**
   * For a long-running command's output (the server's log lines): a writer to the same place as
   * `stdout` that does not block the event loop, writes lines in batches and flushes them on
   * exit. When absent, `stdout` is used.
   */
  openOutput?(): { write(text: string): unknown };
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    openOutput: () => pino.destination({ dest: 1, sync: false }),
  };
}

/** Writes `rows` (the first is the header) as columns two spaces apart, each as wide as needed. */
export function writeTable(io: CliIo, rows: readonly (readonly string[])[]): void {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  for (const row of rows) {
    io.stdout.write(
      `${row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd()}\n`,
    );
  }
}
