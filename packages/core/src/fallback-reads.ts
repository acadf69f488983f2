import { homedir } from "node:os";
import { displayPath } from "@hush/config";
import type { ActiveConfiguration } from "./configuration.js";
import { SecretNotFoundError, SecretServerError } from "./errors.js";
import type { FallbackMiss } from "./fallback-file.js";
import { displayEndpoint } from "./server-errors.js";

// Codes that mean the server was not reached at all; others count only with an HTTP 5xx status.
const UNREACHABLE = new Set(["NETWORK", "TIMEOUT"]);

/**
 * Keeps values just read from the server in the `[cloud] fallback_file`, when one is set. A
 * failure to write is a warning, never a failed read.
 */
export async function saveFallback(
  active: ActiveConfiguration,
  values: Readonly<Record<string, unknown>>,
): Promise<void> {
  const file = active.fallback();
  if (file === undefined || Object.keys(values).length === 0) return;
  try {
    // The tenant is asked only when the file does not know this token yet.
    await file.save(values, async () => (await active.client().me?.())?.tenant.id);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    warnOnce(
      `Could not write the fallback file ${show(active, file.path)} (${typeof code === "string" ? code : "error"}); secrets are still read from the server, but an outage will find no copy. Check that its folder is writable, or unset [cloud] fallback_file.`,
      "HUSH_FALLBACK_WRITE_FAILED",
    );
  }
}

/**
 * The values of `names` from the fallback file, when the server read failed with `error` because
 * the server could not be reached (a network error, a timeout or an HTTP 5xx), each use warned
 * with the value's age. Undefined when there is no fallback file or the server did answer (a
 * not-found also removes the name from the file, so a deleted secret is not served later).
 *
 * @throws the server error, with a note, when the file lacks a name or its copy is too old.
 */
export async function readFallback(
  active: ActiveConfiguration,
  names: readonly string[],
  error: unknown,
): Promise<Map<string, unknown> | undefined> {
  const file = active.fallback();
  if (file === undefined) return undefined;
  if (error instanceof SecretNotFoundError) {
    await file.forget([error.secretName]).catch(() => {});
    return undefined;
  }
  if (!(error instanceof SecretServerError) || !isUnreachable(error)) return undefined;
  const kept = await file.read();
  const path = show(active, file.path);
  if (kept.miss !== undefined && kept.miss !== "none") {
    throw withNote(error, `The fallback file ${path} ${MISSES[kept.miss]}, so it was not used.`);
  }
  const now = Date.now();
  const values = new Map<string, unknown>();
  const ages = new Map<string, number>();
  for (const name of names) {
    const entry = kept.values?.get(name);
    if (entry === undefined) {
      throw withNote(error, `The fallback file ${path} has no copy of "${name}".`);
    }
    const age = Math.max(0, now - entry.savedAt);
    if (active.fallbackMaxAgeMs > 0 && age > active.fallbackMaxAgeMs) {
      throw withNote(
        error,
        `The fallback file ${path} has a copy of "${name}" saved ${ago(age)} ago, older than [cloud] fallback_max_age (${active.fallbackMaxAgeMs / 1000} s), so it was not used.`,
      );
    }
    values.set(name, entry.value);
    ages.set(name, age);
  }
  const endpoint = displayEndpoint(active.config.cloud.endpoint);
  for (const [name, age] of ages) {
    process.emitWarning(
      `The hush server at ${endpoint} could not be reached (${error.code}); secret "${name}" was read from the fallback file ${path}, saved there ${ago(age)} ago.`,
      { type: "HushFallbackWarning", code: "HUSH_FALLBACK_USED" },
    );
  }
  return values;
}

const MISSES: Record<Exclude<FallbackMiss, "none">, string> = {
  "other-server": "was written for another server (another [cloud] endpoint)",
  "other-tenant":
    "was written for another tenant or API token (a token's first successful read from the server gives it its own copy, or adds it to its tenant's)",
  unreadable:
    "cannot be read with this key (another HUSH__CLOUD__FALLBACK_KEY or API token, a file from an older hush, or a damaged one; the next successful read writes a new one)",
};

function isUnreachable(error: SecretServerError): boolean {
  if (UNREACHABLE.has(error.code)) return true;
  const status = (error.cause as { status?: unknown } | undefined)?.status;
  return typeof status === "number" && status >= 500;
}

function withNote(error: SecretServerError, note: string): SecretServerError {
  return new SecretServerError(error.code, error.endpoint, `${error.message} ${note}`, {
    cause: error.cause,
  });
}

function show(active: ActiveConfiguration, path: string): string {
  return displayPath(path, active.sources?.home ?? homedir());
}

/** A duration for people: "40 seconds", "3 minutes", "2 hours", "5 days". */
export function ago(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, "day"],
    [3_600_000, "hour"],
    [60_000, "minute"],
    [1_000, "second"],
  ];
  for (const [size, unit] of units) {
    const count = Math.floor(ms / size);
    if (count >= 1) return `${count} ${unit}${count === 1 ? "" : "s"}`;
  }
  return "less than a second";
}

const warned = new Set<string>();

function warnOnce(message: string, code: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.emitWarning(message, { type: "HushFallbackWarning", code });
}
