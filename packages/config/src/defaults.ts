import { CONFIG_KEYS, type ConfigKey } from "./config-keys.js";
import { positionKey } from "./locate-keys.js";
import { getOwn, isTable, setOwn, type Table } from "./tables.js";

/**
 * A fresh copy of the built-in defaults of {@link CONFIG_KEYS} (a table's own default is `{}`);
 * the loader resolves and freezes it in place.
 */
function createDefaults(): Table {
  const defaults: Table = {};
  for (const key of CONFIG_KEYS as readonly ConfigKey[]) {
    if (key.default === undefined && key.type !== "table") continue;
    const parts = key.path.split(".");
    let table = defaults;
    for (const part of parts.slice(0, -1)) table = getOwn(table, part) as Table;
    const value = key.default === undefined ? {} : structuredClone(key.default);
    setOwn(table, parts[parts.length - 1] as string, value);
  }
  return defaults;
}

/**
 * Adds every default the user file left out to `tree` (the parsed file, not a copy of it, so a
 * large secrets table is never cloned).
 *
 * @returns the key paths filled from the defaults, by {@link positionKey}.
 */
export function fillDefaults(tree: Table): Set<string> {
  const filled = new Set<string>();
  fill(tree, createDefaults(), [], filled);
  return filled;
}

/**
 * Fills again, after the environment overrides, the defaults that a JSON object took away with
 * the table it replaced (`HUSH__CLOUD='{"endpoint": …}'` keeps the other `[cloud]` defaults), and
 * forgets the filled paths that such a replacement overwrote.
 *
 * @param filled what {@link fillDefaults} returned; updated in place.
 * @param placed the paths the overrides set, by {@link positionKey}.
 */
export function refillDefaults(
  tree: Table,
  filled: Set<string>,
  placed: ReadonlyMap<string, string>,
): void {
  for (const path of filled) {
    for (const replaced of placed.keys()) {
      if (path === replaced || path.startsWith(`${replaced}\u0000`)) filled.delete(path);
    }
  }
  fill(tree, createDefaults(), [], filled);
}

function fill(tree: Table, defaults: Table, path: string[], filled: Set<string>): void {
  for (const [key, value] of Object.entries(defaults)) {
    const existing = getOwn(tree, key);
    if (existing === undefined) {
      setOwn(tree, key, value);
      filled.add(positionKey([...path, key]));
    } else if (isTable(existing) && isTable(value)) {
      fill(existing, value, [...path, key], filled);
    }
    // Anything else (a string where [cloud] belongs, say) is left for validation to report.
  }
}
