import { locateKeys, type Position, positionKey } from "./locate-keys.js";
import type { ConfigOrigin } from "./types.js";

const DEFAULT_ORIGIN: ConfigOrigin = Object.freeze({ kind: "default" });

/** What the loader knows about where values came from, before it resolves them. */
export interface OriginSources {
  /** The user file's absolute path and text, when there is one. */
  readonly file?: { readonly path: string; readonly text: string };
  /** Paths filled from the built-in defaults (see `fillDefaults`). */
  readonly defaults: ReadonlySet<string>;
  /** Paths set by `HUSH__…` variables, with the variable (see `applyEnvOverrides`). */
  readonly env: ReadonlyMap<string, string>;
  /** Paths set from the auth file of `hush login` (`cloud.endpoint`), with that file. */
  readonly auth?: ReadonlyMap<string, string>;
  /** Whether to fill {@link OriginTracker.origins}; errors find origins either way. */
  readonly record: boolean;
}

/**
 * Answers where the value at a key path came from: the deepest environment variable or filled
 * default on its way, whichever is deeper; else the user file, at the position of the key or its
 * nearest listed ancestor. File positions are
 * found on first need, so a load that neither fails nor asks for origins never scans for them.
 */
export class OriginTracker {
  readonly origins = new Map<string, ConfigOrigin>();
  private positions: Map<string, Position> | undefined;

  constructor(private readonly sources: OriginSources) {}

  /** Whether {@link record} notes anything. */
  get recording(): boolean {
    return this.sources.record;
  }

  /** Notes the origin of a leaf value, when origins are being recorded. */
  record(path: readonly string[]): void {
    if (!this.sources.record) return;
    const dotted = path.join(".");
    if (!this.origins.has(dotted)) this.origins.set(dotted, this.of(path));
  }

  of(path: readonly string[]): ConfigOrigin {
    const prefixes: string[] = [];
    for (const segment of path) {
      const last = prefixes[prefixes.length - 1];
      prefixes.push(last === undefined ? segment : positionKey([last, segment]));
    }
    const { env, defaults, file, auth } = this.sources;
    const fromAuth = auth?.get(prefixes[prefixes.length - 1] as string);
    if (fromAuth !== undefined) return { kind: "login", file: fromAuth };
    // The deeper of the two wins: a default filled into a table that a JSON override replaced
    // lies under that override's variable, and a variable's key may lie in a table of defaults.
    const fromEnv = deepest(prefixes, (prefix) => env.has(prefix));
    const fromDefaults = deepest(prefixes, (prefix) => defaults.has(prefix));
    if (fromDefaults > fromEnv) return DEFAULT_ORIGIN;
    const variable = fromEnv < 0 ? undefined : env.get(prefixes[fromEnv] as string);
    if (variable !== undefined) return { kind: "env", variable };
    if (file === undefined) return DEFAULT_ORIGIN;
    this.positions ??= locateKeys(file.text);
    for (let i = prefixes.length - 1; i >= 0; i--) {
      const position = this.positions.get(prefixes[i] as string);
      if (position !== undefined) return { kind: "file", file: file.path, ...position };
    }
    return { kind: "file", file: file.path, line: 1, column: 1 };
  }
}

/** The index of the last of `prefixes` that `has`, or -1. */
function deepest(prefixes: readonly string[], has: (prefix: string) => boolean): number {
  for (let i = prefixes.length - 1; i >= 0; i--) if (has(prefixes[i] as string)) return i;
  return -1;
}
