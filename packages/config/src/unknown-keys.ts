import { closest, distance } from "fastest-levenshtein";
import { ConfigErrorCode } from "./config-error.js";
import { keysOf, OWNED_SECTIONS } from "./config-keys.js";
import { valueError } from "./error-site.js";
import type { OriginTracker } from "./origins.js";
import { getOwn, isTable, type Table } from "./tables.js";
import type { ConfigOrigin, UnknownConfigKey } from "./types.js";

/** The keys hush reads in each section it owns; everything else there is a typo or a leftover. */
const KNOWN_KEYS: ReadonlyMap<string, readonly string[]> = new Map(
  OWNED_SECTIONS.map((section) => [section, keysOf(section)]),
);

/**
 * The unknown keys of the resolved tree: any key of `[cloud]` and `[context]` hush does not read,
 * and top-level keys likewise, except a table that is not close to a known name (a section of
 * the user's own, such as `[db]`, which `${db.url}` may refer to). Sorted by where they were
 * written: file lines first, then environment variables.
 */
export function findUnknownKeys(
  tree: Table,
  origins: OriginTracker,
  home: string,
): UnknownConfigKey[] {
  const found: UnknownConfigKey[] = [];
  const check = (section: string, table: Table) => {
    const known = KNOWN_KEYS.get(section) ?? [];
    for (const name of Object.keys(table)) {
      if (known.includes(name)) continue;
      const near = nearest(name, known);
      if (section === "" && near === undefined && isTable(getOwn(table, name))) continue;
      const path = section === "" ? [name] : [...section.split("."), name];
      const key = path.join(".");
      const suggestion = near === undefined ? undefined : [...path.slice(0, -1), near].join(".");
      const origin = origins.of(path);
      found.push({ key, origin, suggestion, message: message(key, suggestion, origin, home) });
    }
  };
  check("", tree);
  for (const section of OWNED_SECTIONS) {
    if (section === "") continue;
    let table: unknown = tree;
    for (const part of section.split(".")) table = isTable(table) ? getOwn(table, part) : undefined;
    if (isTable(table)) check(section, table);
  }
  return found.sort((a, b) => rank(a.origin) - rank(b.origin));
}

/** The known name `name` is most likely a typo of: within about a third of its length. */
function nearest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const best = closest(lower, known as string[]);
  const allowed = Math.max(1, Math.floor(best.length / 3));
  return distance(lower, best) <= allowed ? best : undefined;
}

function message(
  key: string,
  suggestion: string | undefined,
  origin: ConfigOrigin,
  home: string,
): string {
  const section = key.includes(".")
    ? `in [${key.slice(0, key.lastIndexOf("."))}]`
    : "at the top level";
  const hint =
    suggestion === undefined
      ? `hush ignores it (it reads only ${listKnown(key)} ${section}).`
      : `did you mean ${suggestion}? hush ignores it.`;
  const text = `unknown key ${key} ${section}; ${hint}`;
  return valueError(ConfigErrorCode.UNKNOWN_KEY, key, origin, home, text).message;
}

function listKnown(key: string): string {
  const section = key.includes(".") ? key.slice(0, key.lastIndexOf(".")) : "";
  return (KNOWN_KEYS.get(section) ?? []).join(", ");
}

/** File values by line, then environment variables, then defaults (which are never unknown). */
function rank(origin: ConfigOrigin): number {
  if (origin.kind === "file") return origin.line;
  return origin.kind === "env" ? Number.MAX_SAFE_INTEGER - 1 : Number.MAX_SAFE_INTEGER;
}

// Each message once per process, however often the config is loaded.
const warned = new Set<string>();

/** Prints each unknown key's message as a process warning, once per process. */
export function warnUnknownKeys(unknown: readonly UnknownConfigKey[]): void {
  for (const { message } of unknown) {
    if (warned.has(message)) continue;
    warned.add(message);
    process.emitWarning(message, { type: "HushConfigWarning", code: "HUSH_UNKNOWN_CONFIG_KEY" });
  }
}

/** The ConfigError `strict: true` throws for the first unknown key. */
export function unknownKeyError(first: UnknownConfigKey, home: string) {
  const text = first.message.slice(first.message.indexOf("unknown key "));
  return valueError(ConfigErrorCode.UNKNOWN_KEY, first.key, first.origin, home, text);
}
