import { CommandContext, type GlobalOptions } from "../src/command-context.js";
import { run } from "../src/program.js";
import type { Result } from "./hush.js";

/** A stand-in for stdout or stderr that keeps what is written, as text. */
export class Collected {
  text = "";
  write(chunk: string | Uint8Array): boolean {
    this.text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return true;
  }
}

/** The environment a test's command sees: this one without HUSH… variables, HOME and NO_COLOR. */
function environment(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("HUSH") && value !== undefined) env[key] = value;
  }
  return { ...env, HOME: home, NO_COLOR: "1", ...extra };
}

/**
 * Runs `hush args` in this process (the same parsing, command functions and error boundary as
 * the binary) with a temp home, and collects its output: what `hush()` gives for a spawned one.
 * For commands that read nothing from stdin and start no program.
 */
export async function hushInProcess(
  args: string[],
  options: { home: string; env?: Record<string, string> },
): Promise<Result> {
  const stdout = new Collected();
  const stderr = new Collected();
  const code = await run(args, {
    home: options.home,
    env: environment(options.home, options.env),
    stdout,
    stderr,
  });
  return { code, signal: null, stdout: stdout.text, stderr: stderr.text };
}

/** A command's context with a temp home and collected output, to call a command function with. */
export function testContext(options: {
  home: string;
  env?: Record<string, string>;
  global?: GlobalOptions;
}): { context: CommandContext; stdout: Collected; stderr: Collected } {
  const stdout = new Collected();
  const stderr = new Collected();
  const context = new CommandContext(options.global ?? {}, {
    home: options.home,
    env: environment(options.home, options.env),
    stdout,
    stderr,
  });
  return { context, stdout, stderr };
}
