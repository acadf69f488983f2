import { castEnvValue } from "./cast-env-value.js";
import { ConfigError, ConfigErrorCode } from "./config-error.js";
import { isTextKey } from "./config-keys.js";
import { decodeSecretText } from "./decode-secret-text.js";
import { positionKey } from "./locate-keys.js";
import { describeType, getOwn, isTable, setOwn, type Table } from "./tables.js";

const PREFIX = "HUSH__";

/** Names the user file; it is read before overrides apply and is not one itself. */
export const USER_CONFIG_PATH_VARIABLE = "HUSH__USER_CONFIG_PATH";

interface Override {
  readonly variable: string;
  readonly segments: readonly string[];
}

/**
 * Places every `HUSH__SECTION__KEY=value` variable of `env` into `tree`, creating tables on the
 * way. Keys are lower-cased, except those after `CONTEXT__SECRETS`, which keep their case. Values
 * are cast with {@link castEnvValue}, except for the keys known to hold text and local secrets,
 * which follow the secrets' own rule ({@link decodeSecretText}: nothing is lost). Shallower paths
 * apply first, so `HUSH__CLOUD='{…}'` and
 * `HUSH__CLOUD__ENDPOINT` combine the same way whatever the environment's order.
 *
 * @returns the variable that set each placed path, by {@link positionKey}.
 */
export function applyEnvOverrides(
  tree: Table,
  env: Readonly<Record<string, string | undefined>>,
): Map<string, string> {
  const placed = new Map<string, string>();
  const overrides: Override[] = [];
  for (const variable of Object.keys(env)) {
    if (!variable.startsWith(PREFIX) || variable === USER_CONFIG_PATH_VARIABLE) continue;
    if (typeof env[variable] !== "string") continue;
    overrides.push({ variable, segments: keyPath(variable) });
  }
  if (overrides.length === 0) return placed;
  overrides.sort(
    (a, b) =>
      a.segments.length - b.segments.length ||
      (a.variable < b.variable ? -1 : a.variable > b.variable ? 1 : 0),
  );
  for (const { variable, segments } of overrides) {
    const raw = env[variable] as string;
    // A key whose value is text is never cast: casting "12345" to a number would only make it invalid.
    const value = isTextKey(segments.join("."))
      ? raw
      : isLocalSecret(segments)
        ? decodeSecretText(raw)
        : castEnvValue(raw);
    place(tree, variable, segments, value);
    placed.set(positionKey(segments), variable);
  }
  return placed;
}

function isLocalSecret(segments: readonly string[]): boolean {
  return segments.length > 2 && segments[0] === "context" && segments[1] === "secrets";
}

function keyPath(variable: string): string[] {
  const parts = variable.slice(PREFIX.length).split("__");
  if (parts.some((part) => part === "")) {
    throw new ConfigError(
      ConfigErrorCode.INVALID_ENV_OVERRIDE,
      `${variable} is not a valid override: its name has an empty part between "__" separators. ` +
        "Name it HUSH__SECTION__KEY, such as HUSH__CLOUD__ENDPOINT.",
      { variable },
    );
  }
  const keepCase =
    parts.length > 2 &&
    parts[0]?.toLowerCase() === "context" &&
    parts[1]?.toLowerCase() === "secrets";
  return parts.map((part, index) => (keepCase && index >= 2 ? part : part.toLowerCase()));
}

function place(tree: Table, variable: string, segments: readonly string[], value: unknown): void {
  let table = tree;
  for (let index = 0; index < segments.length - 1; index++) {
    const segment = segments[index] as string;
    const child = getOwn(table, segment);
    if (child === undefined) {
      const created: Table = {};
      setOwn(table, segment, created);
      table = created;
    } else if (isTable(child)) {
      table = child;
    } else {
      const key = segments.slice(0, index + 1).join(".");
      throw new ConfigError(
        ConfigErrorCode.ENV_OVERRIDE_CONFLICT,
        `${variable} cannot be placed: ${key} is ${describeType(child)}, not a table, so it has ` +
          `no key ${segments[index + 1]}. Remove ${variable}, or set ${variableFor(variable, index + 1)} instead.`,
        { key, variable },
      );
    }
  }
  const last = segments[segments.length - 1] as string;
  if (isTable(getOwn(table, last)) && !isTable(value)) {
    const key = segments.join(".");
    throw new ConfigError(
      ConfigErrorCode.ENV_OVERRIDE_CONFLICT,
      `${variable} cannot replace the table ${key} with a single value. Set one of its keys ` +
        `instead, such as ${variable}__<KEY>, or give a JSON object.`,
      { key, variable },
    );
  }
  setOwn(table, last, value);
}

/** The variable naming the first `count` parts of `variable`'s key path. */
function variableFor(variable: string, count: number): string {
  return PREFIX + variable.slice(PREFIX.length).split("__").slice(0, count).join("__");
}
