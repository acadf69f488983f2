import { readFile } from "node:fs/promises";
import { writePrivateFile } from "@hush/config/private-file";
import { ChangeFeed, failureText } from "../change-feed.js";
import { CliError, usageError } from "../cli-error.js";
import { Coalesced } from "../coalesced.js";
import type { CommandContext } from "../command-context.js";
import { ExitCode } from "../exit-codes.js";
import { namesByEnvironment, readReferencedValues } from "../inject-values.js";
import { untilStopSignal } from "../stop-signal.js";
import { parseTemplate, type Reference, renderTemplate } from "../template.js";
import { watchFileChanges } from "../watch-file.js";

export interface InjectInput {
  /** The template file. */
  input: string;
  /** The file to write (mode 0600, atomically) instead of stdout. */
  output?: string | undefined;
  /** Render again whenever a referenced secret or the template changes. */
  watch?: boolean | undefined;
  /** A shell command run after each re-render that changed the output (with --watch). */
  exec?: string | undefined;
}

/**
 * `hush inject -i TEMPLATE [-o FILE]`: the template with every `{{ hush://[ENV/]NAME }}` replaced
 * by the secret's value, on stdout or into FILE. With `--watch`, renders again on each change of
 * a referenced secret or of the template until stopped, keeping the last good file on errors.
 */
export async function inject(input: InjectInput, context: CommandContext): Promise<number> {
  if (input.exec !== undefined && !input.watch) {
    throw usageError("--exec runs a command after each re-render: pass it with --watch.");
  }
  if (input.watch && input.output === undefined) {
    throw usageError(
      "--watch renders into a file again and again: pass -o FILE (stdout is written once).",
    );
  }
  if (!input.watch) {
    await write(input.output, await render(input, context), context);
    return ExitCode.OK;
  }
  const feeds = new ReferenceFeeds(context);
  let written = await render(input, context, feeds);
  await write(input.output, written, context);
  const rerender = new Coalesced(
    async () => {
      const text = await render(input, context, feeds);
      if (text === written) return;
      await write(input.output, text, context);
      written = text;
      context.out.info(`hush: rendered ${input.output} again.`);
      if (input.exec !== undefined) await runAfter(input.exec, context);
    },
    (error) =>
      context.out.warn(
        `Kept ${input.output} as it was: ${failureText(error)} Trying again shortly.`,
      ),
  );
  feeds.changed = () => rerender.trigger();
  const unwatch = watchFileChanges(input.input, () => rerender.trigger());
  const code = await untilStopSignal();
  rerender.stop();
  feeds.stop();
  unwatch();
  return code;
}

/**
 * Reads the template and its values and renders it (nothing is written here). With `feeds`, the
 * changes of the secrets it names are followed from before their values are read, so none is missed.
 */
async function render(
  input: InjectInput,
  context: CommandContext,
  feeds?: ReferenceFeeds,
): Promise<string> {
  const template = parseTemplate(await readTemplate(input.input), input.input);
  await feeds?.follow(template.references);
  const values = await readReferencedValues(context, template.references, input.input);
  return renderTemplate(template, (r) => values.get(r.environment)?.[r.name]);
}

async function readTemplate(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw usageError(
      `Cannot read the template ${path} (${(error as NodeJS.ErrnoException).code}). Nothing was written. Pass -i with a file you can read.`,
    );
  }
}

/** Writes the rendered text: to stdout, or to `path` atomically with mode 0600. */
async function write(path: string | undefined, text: string, context: CommandContext) {
  if (path === undefined) {
    context.stdout.write(text);
    return;
  }
  try {
    await writePrivateFile(path, text, 0o600);
  } catch (error) {
    throw new CliError(
      ExitCode.ERROR,
      "FILE_UNWRITABLE",
      `Cannot write ${path} (${(error as NodeJS.ErrnoException).code}); it was left as it was. Pass a file in a folder you can write to.`,
    );
  }
}

/**
 * Follows the changes of the secrets a template references: one feed per environment it names,
 * started again when an edit of the template names other secrets.
 */
class ReferenceFeeds {
  /** Called for each page of changes. */
  changed: () => void = () => undefined;
  readonly #context: CommandContext;
  #followed = "";
  #stop = new AbortController();

  constructor(context: CommandContext) {
    this.#context = context;
  }

  /** Follows these references' secrets from now on (nothing changes when they are the same). */
  async follow(references: readonly Reference[]): Promise<void> {
    const groups = [...namesByEnvironment(references)];
    const key = JSON.stringify(groups);
    if (key === this.#followed) return;
    const stop = new AbortController();
    const feeds = groups.map(
      ([environment, names]) => new ChangeFeed(this.#context, environment, names, stop.signal),
    );
    await Promise.all(feeds.map((feed) => feed.begin()));
    this.#stop.abort();
    this.#stop = stop;
    this.#followed = key;
    for (const feed of feeds) void feed.follow(() => this.changed(), stop.signal);
  }

  stop(): void {
    this.#stop.abort();
  }
}

/** Runs `command` with the shell, its output hush's; a failure is a warning, not the end. */
async function runAfter(command: string, context: CommandContext): Promise<void> {
  const { spawn } = await import("node:child_process");
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(command, { shell: true, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", () => resolve(null));
    child.on("close", (c) => resolve(c));
  });
  if (code !== 0) {
    context.out.warn(
      `--exec "${command}" ${code === null ? "could not be started or was killed" : `exited ${code}`}; the file was written.`,
    );
  }
}
