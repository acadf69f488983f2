import { ConfigErrorCode } from "./config-error.js";
import { fixHint, valueError } from "./error-site.js";
import type { OriginTracker } from "./origins.js";
import { describeType, getOwn, isTable, type Table } from "./tables.js";
import type { ConfigOrigin } from "./types.js";

const BACKENDS = ["cloud", "server", "local"];
const TRUTHY = new Set(["yes", "y", "on", "1", "true", "enabled"]);
const FALSY = new Set(["no", "n", "off", "0", "false", "disabled"]);
// Everything up to the last "@", after the scheme if there is one: the user part of a URL, even
// a mistyped one ("http//me:pass@host") or one whose password holds "/" or "@".
const USERINFO = /^([a-z][a-z\d+.-]*:\/\/)?[\s\S]*@/i;

/**
 * Checks the known keys of the resolved tree (after interpolation, so a `${…}` counts as what it
 * resolved to). Unknown sections and keys are kept as they are.
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
  const fail = (path: string[], text: (key: string, origin: ConfigOrigin) => string) => {
    const key = path.join(".");
    const origin = origins.of(path);
    return valueError(ConfigErrorCode.INVALID_VALUE, key, origin, home, text(key, origin));
  };

  const backend = getOwn(tree, "backend");
  if (typeof backend !== "string" || !BACKENDS.includes(backend)) {
    const lower = typeof backend === "string" ? backend.trim().toLowerCase() : "";
    const suggestion = BACKENDS.includes(lower) ? lower : "cloud";
    throw fail(
      ["backend"],
      (key, origin) =>
        `${key} must be "cloud", "server" or "local", not ${show(backend, isSecret(key))}. ` +
        `${fixHint(key, origin, `"${suggestion}"`, suggestion)}.`,
    );
  }

  const cloud = getOwn(tree, "cloud");
  if (!isTable(cloud)) {
    throw fail(
      ["cloud"],
      (key) =>
        `${key} must be a table, not ${describeType(cloud)}. ` +
        'Write a [cloud] section with keys such as endpoint = "https://…".',
    );
  }
  validateCloud(cloud, fail, isSecret);

  const context = getOwn(tree, "context");
  if (!isTable(context)) {
    throw fail(
      ["context"],
      (key) =>
        `${key} must be a table, not ${describeType(context)}. ` +
        'Write a [context.secrets] section with NAME = "value" lines.',
    );
  }
  const secrets = getOwn(context, "secrets");
  if (!isTable(secrets)) {
    throw fail(
      ["context", "secrets"],
      (key) =>
        `${key} must be a table of secrets, not ${describeType(secrets)}. ` +
        'Write a [context.secrets] section with NAME = "value" lines.',
    );
  }
}

type Fail = (path: string[], text: (key: string, origin: ConfigOrigin) => string) => Error;

function validateCloud(cloud: Table, fail: Fail, isSecret: (key: string) => boolean): void {
  const useLocal = getOwn(cloud, "use_local_secrets");
  if (typeof useLocal !== "boolean") {
    const word = String(useLocal).trim().toLowerCase();
    const guess = TRUTHY.has(word) ? "true" : FALSY.has(word) ? "false" : undefined;
    throw fail(["cloud", "use_local_secrets"], (key, origin) => {
      const hint =
        guess === undefined
          ? `${fixHint(key, origin, "true")}, or false to fetch secrets from the server.`
          : `${fixHint(key, origin, guess)}.`;
      return `${key} must be true or false, not ${show(useLocal, isSecret(key))}. ${hint}`;
    });
  }

  const endpoint = getOwn(cloud, "endpoint");
  if (!isHttpUrl(endpoint)) {
    // A URL may carry a password (https://user:pass@host); messages show it as "…@host".
    const written = typeof endpoint === "string" ? endpoint.replace(USERINFO, "$1…@") : endpoint;
    const suggestion =
      typeof written === "string" &&
      written !== "" &&
      !written.includes("://") &&
      !isSecret("cloud.endpoint")
        ? `http://${written}`
        : "https://hush.example.com";
    throw fail(
      ["cloud", "endpoint"],
      (key, origin) =>
        `${key} must be an http:// or https:// URL, not ${show(written, isSecret(key))}. ` +
        `${fixHint(key, origin, JSON.stringify(suggestion), suggestion)}.`,
    );
  }

  const apiKey = getOwn(cloud, "api_key");
  if (typeof apiKey !== "string") {
    throw fail(
      ["cloud", "api_key"],
      (key, origin) =>
        `${key} must be a string, not ${show(apiKey, isSecret(key))}. ` +
        `${fixHint(key, origin, '"…"', "…")}, in quotes.`,
    );
  }

  const ttl = getOwn(cloud, "secret_cache_ttl_ms");
  if (typeof ttl !== "number" || !Number.isSafeInteger(ttl) || ttl < 0) {
    const digits =
      typeof ttl === "string" && /^\d+$/.test(ttl.trim()) && !isSecret("cloud.secret_cache_ttl_ms")
        ? ttl.trim()
        : "60000";
    throw fail(
      ["cloud", "secret_cache_ttl_ms"],
      (key, origin) =>
        `${key} must be a whole number of milliseconds, 0 or more, not ${show(ttl, isSecret(key))}. ` +
        `${fixHint(key, origin, digits)}${digits === "60000" ? " for a minute, or 0 to turn caching off" : ""}.`,
    );
  }

  // Optional settings: checked only when set.
  for (const name of ["cache_ttl", "stale_ttl", "fallback_max_age"]) {
    const seconds = getOwn(cloud, name);
    if (
      seconds === undefined ||
      (typeof seconds === "number" && seconds >= 0 && Number.isFinite(seconds))
    ) {
      continue;
    }
    const written =
      typeof seconds === "string" && /^\d+$/.test(seconds.trim()) && !isSecret(`cloud.${name}`)
        ? seconds.trim()
        : undefined;
    throw fail(
      ["cloud", name],
      (key, origin) =>
        `${key} must be a number of seconds, 0 or more, not ${show(seconds, isSecret(key))}. ` +
        `${fixHint(key, origin, written ?? "300")}${written === undefined ? " for five minutes" : ""}.`,
    );
  }
  for (const name of ["fallback_file", "fallback_key"]) {
    const text = getOwn(cloud, name);
    if (text === undefined || typeof text === "string") continue;
    throw fail(
      ["cloud", name],
      (key, origin) =>
        `${key} must be a string, not ${show(text, isSecret(key))}. ` +
        `${fixHint(key, origin, '"…"', "…")}, in quotes.`,
    );
  }
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
