import { ConfigErrorCode } from "./config-error.js";
import { CONFIG_KEYS, type ConfigKey, type ConfigKeyType } from "./config-keys.js";
import { fixHint, valueError } from "./error-site.js";
import type { OriginTracker } from "./origins.js";
import { describeType, getOwn, isTable, type Table } from "./tables.js";
import type { ConfigOrigin } from "./types.js";

const TRUTHY = new Set(["yes", "y", "on", "1", "true", "enabled"]);
const FALSY = new Set(["no", "n", "off", "0", "false", "disabled"]);
// Everything up to the last "@", after the scheme if there is one: the user part of a URL, even
// a mistyped one ("http//me:pass@host") or one whose password holds "/" or "@".
const USERINFO = /^([a-z][a-z\d+.-]*:\/\/)?[\s\S]*@/i;

/**
 * Checks the keys of {@link CONFIG_KEYS} in the resolved tree, in the table's order (after
 * interpolation, so a `${…}` counts as what it resolved to); a key without a default is checked
 * only when set. Unknown sections and keys are kept as they are.
 *
 * @param isSecret whether a key's value must not be quoted (see `Resolver.isSecret`).
 * @throws ConfigError INVALID_VALUE at the first wrong value, located where it came from.
 */
export function validate(
  tree: Table,
  origins: OriginTracker,
  home: string,
  isSecret: (key: string) => boolean,
): void {
  for (const spec of CONFIG_KEYS as readonly ConfigKey[]) {
    const path = spec.path.split(".");
    // The tables above it were checked first, so each is a table.
    let value: unknown = tree;
    for (const part of path) value = getOwn(value as Table, part);
    if (value === undefined && spec.default === undefined && spec.type !== "table") continue;
    const problem = CHECKS[spec.type](value, spec, isSecret);
    if (problem === undefined) continue;
    const key = spec.path;
    const origin = origins.of(path);
    throw valueError(ConfigErrorCode.INVALID_VALUE, key, origin, home, problem(key, origin));
  }
}

/** What is wrong with a value, said for the key and where it came from; undefined when nothing is. */
type Problem = ((key: string, origin: ConfigOrigin) => string) | undefined;
type Check = (value: unknown, spec: ConfigKey, isSecret: (key: string) => boolean) => Problem;

const CHECKS: Record<ConfigKeyType, Check> = {
  choice(value, spec, isSecret) {
    const choices = spec.choices ?? [];
    if (typeof value === "string" && choices.includes(value)) return undefined;
    const lower = typeof value === "string" ? value.trim().toLowerCase() : "";
    const suggestion = choices.includes(lower) ? lower : String(spec.default ?? choices[0]);
    const quoted = choices.map((choice) => `"${choice}"`);
    const list =
      quoted.length === 1
        ? String(quoted[0])
        : `${quoted.slice(0, -1).join(", ")} or ${quoted[quoted.length - 1]}`;
    return (key, origin) =>
      `${key} must be ${list}, not ${show(value, isSecret(key))}. ` +
      `${fixHint(key, origin, `"${suggestion}"`, suggestion)}.`;
  },

  boolean(value, spec, isSecret) {
    if (typeof value === "boolean") return undefined;
    const word = String(value).trim().toLowerCase();
    const guess = TRUTHY.has(word) ? "true" : FALSY.has(word) ? "false" : undefined;
    return (key, origin) => {
      const hint =
        guess === undefined
          ? `${fixHint(key, origin, spec.example ?? "true")}, ${spec.exampleNote}.`
          : `${fixHint(key, origin, guess)}.`;
      return `${key} must be true or false, not ${show(value, isSecret(key))}. ${hint}`;
    };
  },

  url(value, spec, isSecret) {
    if (isHttpUrl(value)) return undefined;
    // A URL may carry a password (https://user:pass@host); messages show it as "…@host".
    const written = typeof value === "string" ? value.replace(USERINFO, "$1…@") : value;
    const suggestion =
      typeof written === "string" &&
      written !== "" &&
      !written.includes("://") &&
      !isSecret(spec.path)
        ? `http://${written}`
        : (spec.example ?? "https://hush.example.com");
    return (key, origin) =>
      `${key} must be an http:// or https:// URL, not ${show(written, isSecret(key))}. ` +
      `${fixHint(key, origin, JSON.stringify(suggestion), suggestion)}.`;
  },

  string(value, _spec, isSecret) {
    if (typeof value === "string") return undefined;
    return (key, origin) =>
      `${key} must be a string, not ${show(value, isSecret(key))}. ` +
      `${fixHint(key, origin, '"…"', "…")}, in quotes.`;
  },

  milliseconds(value, spec, isSecret) {
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return undefined;
    const example = spec.example ?? "0";
    const written = digitsOf(value, spec, isSecret) ?? example;
    return (key, origin) =>
      `${key} must be a whole number of milliseconds, 0 or more, not ${show(value, isSecret(key))}. ` +
      `${fixHint(key, origin, written)}${written === example ? ` ${spec.exampleNote}` : ""}.`;
  },

  seconds(value, spec, isSecret) {
    if (typeof value === "number" && value >= 0 && Number.isFinite(value)) return undefined;
    const written = digitsOf(value, spec, isSecret);
    return (key, origin) =>
      `${key} must be a number of seconds, 0 or more, not ${show(value, isSecret(key))}. ` +
      `${fixHint(key, origin, written ?? spec.example ?? "0")}${written === undefined ? ` ${spec.exampleNote}` : ""}.`;
  },

  table(value, spec) {
    if (isTable(value)) return undefined;
    return (key) => `${key} must be a table, not ${describeType(value)}. ${spec.howToWrite}`;
  },

  secrets(value, spec) {
    if (isTable(value)) return undefined;
    return (key) =>
      `${key} must be a table of secrets, not ${describeType(value)}. ${spec.howToWrite}`;
  },
};

/** The digits of a value written as text (`"300"`), unless the key is secret. */
function digitsOf(
  value: unknown,
  spec: ConfigKey,
  isSecret: (key: string) => boolean,
): string | undefined {
  return typeof value === "string" && /^\d+$/.test(value.trim()) && !isSecret(spec.path)
    ? value.trim()
    : undefined;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== "string" || !URL.canParse(value)) return false;
  const { protocol } = new URL(value);
  return protocol === "http:" || protocol === "https:";
}

/** A value for a message: quoted text or a number, or only its type when it is secret. */
function show(value: unknown, secret: boolean): string {
  if (secret) return describeType(value);
  if (typeof value === "string") {
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 59)}…` : value);
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return describeType(value);
}
