import { Secret } from "@hush/core";
import { usageError } from "./cli-error.js";
import type { CommandContext, Mode, ModeFlags } from "./command-context.js";

/** The secrets' values as text (objects as JSON), by name: local first, the server's in one batch. */
export async function secretTexts(
  context: CommandContext,
  mode: Mode,
  flags: ModeFlags & { only?: string },
): Promise<Map<string, string>> {
  let names: string[];
  let known: Record<string, unknown> | undefined;
  if (flags.only !== undefined) {
    names = flags.only
      .split(",")
      .map((n) => n.trim())
      .filter((n) => n !== "");
    if (names.length === 0) throw usageError("--only needs at least one secret name.");
  } else {
    const local = new Set<string>();
    if (!flags.cloud) {
      context.useCore("local", {});
      for (const name of Object.keys(context.config.context.secrets)) {
        if (await new Secret(name).exists()) local.add(name);
      }
    }
    names = [...local];
    if (mode === "server") {
      // Every server secret's value in the one round trip; core still decides which value wins.
      known = await context.client().secretValues();
      for (const name of Object.keys(known)) if (!local.has(name)) names.push(name);
    }
  }
  context.useCore(mode, flags, known);
  const texts = await Promise.all(names.map((name) => new Secret(name).getString()));
  return new Map(names.map((name, i) => [name, texts[i] as string]));
}
