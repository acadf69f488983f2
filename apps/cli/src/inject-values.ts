import { hasErrorCode } from "@hush/schema/error-extensions";
import { CliError } from "./cli-error.js";
import type { CommandContext } from "./command-context.js";
import { ExitCode } from "./exit-codes.js";
import type { ServerClient } from "./lazy-client.js";
import { describeReference, type Reference } from "./template.js";

/** The values a template's references name, by environment (undefined: the command's own). */
export type ReferencedValues = ReadonlyMap<string | undefined, Readonly<Record<string, unknown>>>;

/** The references' names grouped by the environment they name (undefined: the command's own). */
export function namesByEnvironment(
  references: readonly Reference[],
): Map<string | undefined, string[]> {
  const groups = new Map<string | undefined, Set<string>>();
  for (const { environment, name } of references) {
    const names = groups.get(environment) ?? new Set();
    names.add(name);
    groups.set(environment, names);
  }
  return new Map([...groups].map(([environment, names]) => [environment, [...names]]));
}

/**
 * The server client for `environment`: the command's own for undefined, else one with the same
 * endpoint and token acting on that environment.
 */
export function clientFor(context: CommandContext, environment: string | undefined): ServerClient {
  return environment === undefined ? context.client() : context.newClient({ environment });
}

/**
 * Reads every value the references name: one `secretValues` round trip per environment, all at
 * once. When names are missing, the error (exit 3) lists every missing reference with where it
 * is in the template, however many environments they are in.
 */
export async function readReferencedValues(
  context: CommandContext,
  references: readonly Reference[],
  file: string,
): Promise<ReferencedValues> {
  const groups = [...namesByEnvironment(references)];
  const answers = await Promise.allSettled(
    groups.map(([environment, names]) => clientFor(context, environment).secretValues(names)),
  );
  const values = new Map<string | undefined, Record<string, unknown>>();
  const missing: Reference[] = [];
  let failure: unknown;
  answers.forEach((answer, i) => {
    const [environment] = groups[i] as [string | undefined, string[]];
    if (answer.status === "fulfilled") {
      values.set(environment, answer.value);
      return;
    }
    const notFound = missingNames(answer.reason);
    if (notFound === undefined) failure ??= answer.reason;
    else {
      missing.push(
        ...references.filter((r) => r.environment === environment && notFound.has(r.name)),
      );
    }
  });
  if (failure !== undefined) throw failure;
  if (missing.length > 0) {
    const list = missing
      .map((r) => `${describeReference(r)} (${file}:${r.line}:${r.column})`)
      .join(", ");
    throw new CliError(
      ExitCode.NOT_FOUND,
      "NOT_FOUND",
      `No such secret${missing.length === 1 ? "" : "s"} on the server: ${list}. Nothing was written. Set ${missing.length === 1 ? "it" : "them"} with hush secrets set, or fix the template.`,
    );
  }
  return values;
}

/**
 * The names a `NOT_FOUND` of `secretValues` says are missing; undefined for any other error (an
 * unknown environment is a `NOT_FOUND` naming no secret, and keeps the server's own message).
 */
function missingNames(error: unknown): Set<string> | undefined {
  const extensions = (error as { extensions?: unknown } | undefined)?.extensions;
  if (!hasErrorCode(extensions, "NOT_FOUND")) return undefined;
  const names = extensions.names ?? (extensions.name === undefined ? [] : [extensions.name]);
  return names.length === 0 ? undefined : new Set(names);
}
