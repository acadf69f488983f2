import { type ConfigOrigin, describeOrigin, type LoadedConfig } from "@hush/config";
import type { CommandContext } from "../command-context.js";
import { table } from "../output.js";
import { printJsonOr } from "./print.js";

const MASK = "••••••";

/** `hush config show`: every config value (secrets masked), with `--origins` where it came from. */
export function configShow(
  input: { origins?: boolean | undefined; json?: boolean | undefined },
  context: CommandContext,
): void {
  const rows = configRows(context.loaded, context.sources().origins);
  printJsonOr(
    context,
    input,
    rows.map((r) => ({
      key: r.key,
      value: r.value,
      ...(input.origins ? { origin: r.origin } : {}),
    })),
    () =>
      table(
        input.origins ? ["KEY", "VALUE", "ORIGIN"] : ["KEY", "VALUE"],
        rows.map((r) => [
          r.key,
          display(r.value),
          ...(input.origins ? [originColumn(r.origin, context.home)] : []),
        ]),
      ),
  );
}

/** `hush config path`: the user config file's path (and, with `--json`, whether it exists). */
export function configPath(input: { json?: boolean | undefined }, context: CommandContext): void {
  const { loaded } = context;
  if (input.json) {
    context.out.json({ path: loaded.userConfigPath, exists: loaded.userConfigFound });
    return;
  }
  context.out.data(loaded.userConfigPath);
  if (!loaded.userConfigFound)
    context.out.info("(it does not exist yet: the built-in defaults apply)");
}

interface Row {
  key: string;
  value: unknown;
  origin: ConfigOrigin;
}

function configRows(loaded: LoadedConfig, origins: LoadedConfig["origins"]): Row[] {
  return [...origins]
    .map(([key, origin]) => ({
      key,
      value: loaded.isSecret(key) ? MASK : valueAt(loaded.config, key),
      origin,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function valueAt(tree: unknown, key: string): unknown {
  let node = tree;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function display(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}

/** The ORIGIN column: `default`, `env HUSH__…`, or where else the value came from. */
function originColumn(origin: ConfigOrigin, home: string): string {
  if (origin.kind === "default") return "default";
  if (origin.kind === "env") return `env ${origin.variable}`;
  return describeOrigin(origin, home);
}
