import { styleText } from "node:util";
import { escapeForDisplay } from "@hush/schema/display-text";

type Style = Parameters<typeof styleText>[0];

/** A stream the CLI writes to: stdout or stderr, or a stand-in that collects what is written. */
export type OutputStream = Pick<NodeJS.WritableStream, "write"> & { readonly isTTY?: boolean };

/** Where the CLI writes: data on stdout, messages on stderr, colours only on a terminal. */
export interface Output {
  /** Writes data (what a script would capture) to stdout. */
  data(text: string): void;
  /** Writes data as pretty JSON to stdout. */
  json(value: unknown): void;
  /** Writes a message for the person at the terminal to stderr. */
  info(text: string): void;
  /** A warning on stderr. */
  warn(text: string): void;
  /**
   * Colours `text` when the stream it goes to (stderr unless given) is a terminal and NO_COLOR
   * is not set.
   */
  paint(style: Style, text: string, stream?: OutputStream): string;
}

export function createOutput(
  env: NodeJS.ProcessEnv = process.env,
  { stdout, stderr }: { stdout: OutputStream; stderr: OutputStream } = {
    stdout: process.stdout,
    stderr: process.stderr,
  },
): Output {
  const colour = (stream: OutputStream) =>
    stream.isTTY === true && env.NO_COLOR === undefined && env.TERM !== "dumb";
  const paint = (style: Style, text: string, stream: OutputStream = stderr) =>
    colour(stream) ? styleText(style, text) : text;
  return {
    data: (text) => stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    json: (value) => stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    info: (text) => stderr.write(`${text}\n`),
    warn: (text) => stderr.write(`${paint("yellow", "warning:")} ${text}\n`),
    paint,
  };
}

/**
 * Formats rows as aligned columns (the last column is not padded). Cells hold text the server
 * sent (token names, actors…): control, bidi and invisible characters in them are shown as
 * escapes such as `\u202e`, so the terminal shows what is stored and never runs a sequence.
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows].map((row) => row.map(escapeForDisplay));
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? "").length)));
  return all
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
