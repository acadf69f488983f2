import { isHushError } from "@hush/errors";
import type { CompareEnvironmentsQuery, SecretDifference } from "@hush/graphql";
import { CliError, usageError } from "../cli-error.js";
import type { CommandContext } from "../command-context.js";
import { ExitCode } from "../exit-codes.js";
import { table } from "../output.js";

type Comparison = CompareEnvironmentsQuery["compareEnvironments"];

export interface SecretsDiffInput {
  from: string;
  to: string;
  json?: boolean | undefined;
}

/**
 * `hush secrets diff FROM TO`: how each secret compares between two environments, computed on
 * the server without reading a value. Exits 0 when they are equal and 1 when they differ, like
 * diff(1); an unknown environment is a usage error (2), other errors keep their exit codes.
 */
export async function secretsDiff(input: SecretsDiffInput, context: CommandContext): Promise<void> {
  const comparison = await context
    .client()
    .compareEnvironments({ from: input.from, to: input.to })
    .catch((error: unknown) => {
      throw asUsage(error);
    });
  if (input.json) context.out.json(comparison);
  else if (comparison.secrets.length > 0) context.out.data(formatComparison(comparison));
  context.out.info(summary(comparison));
  if (!comparison.equal) context.exitCode = ExitCode.DIFFERENT;
}

/** One line per name: NAME and how it compares (`same`, `different`, `only in ENV`). */
export function formatComparison(comparison: Comparison): string {
  return table(
    ["NAME", "STATUS"],
    comparison.secrets.map((s) => [s.name, describeStatus(s.status, comparison)]),
  );
}

function describeStatus(status: SecretDifference, { from, to }: Comparison): string {
  switch (status) {
    case "SAME":
      return "same";
    case "DIFFERENT":
      return "different";
    case "MISSING_FROM":
      return `only in ${to}`;
    case "MISSING_TO":
      return `only in ${from}`;
  }
}

function summary(comparison: Comparison): string {
  const { from, to, secrets } = comparison;
  if (comparison.equal) {
    return secrets.length === 0
      ? `"${from}" and "${to}" hold no secrets.`
      : `"${from}" and "${to}" hold the same ${count(secrets.length)}.`;
  }
  const differing = secrets.filter((s) => s.status !== "SAME").length;
  return `"${from}" and "${to}" differ: ${differing} of ${count(secrets.length)}.`;
}

export interface SecretsCopyInput {
  names: readonly string[];
  from: string;
  to: string;
  all?: boolean | undefined;
  overwrite?: boolean | undefined;
  json?: boolean | undefined;
}

/**
 * `hush secrets copy NAME… --from FROM --to TO`: copies the secrets' current values between
 * environments on the server (never through this machine); `--all` copies every secret of FROM.
 * Secrets TO holds already are skipped unless `--overwrite`. Prints names, never values.
 */
export async function secretsCopy(input: SecretsCopyInput, context: CommandContext): Promise<void> {
  const { from, to } = input;
  if (input.all && input.names.length > 0) {
    throw usageError("Name the secrets to copy, or pass --all, not both.");
  }
  if (!input.all && input.names.length === 0) {
    throw usageError(`Name the secrets to copy from "${from}", or pass --all for every one.`);
  }
  if (from === to) throw usageError("--from and --to name the same environment.");
  const result = await context
    .client()
    .copySecrets({
      from,
      to,
      names: input.all ? null : [...new Set(input.names)],
      overwrite: input.overwrite ?? false,
    })
    .catch((error: unknown) => {
      throw asUsage(error);
    });
  if (input.json) context.out.json({ from, to, copied: result.copied, skipped: result.skipped });
  for (const written of result.copied) {
    context.out.info(
      written.unchanged
        ? `${written.name}: "${to}" holds this value already (version ${written.version}).`
        : `Copied ${written.name} to "${to}" (version ${written.version}).`,
    );
  }
  for (const name of result.skipped) {
    context.out.info(`Skipped ${name}: "${to}" has it already (--overwrite replaces it).`);
  }
  context.out.info(
    `${count(result.copied.length)} copied from "${from}" to "${to}"${result.skipped.length > 0 ? `, ${result.skipped.length} skipped` : ""}.`,
  );
}

/** A server's BAD_USER_INPUT (an unknown environment, a bad name) as a usage error: exit 2. */
function asUsage(error: unknown): unknown {
  if (!isHushError(error) || error.code !== "BAD_USER_INPUT") return error;
  return new CliError(
    ExitCode.USAGE,
    "BAD_USER_INPUT",
    `${error.message} \`hush env list\` lists the environments.`,
    {
      cause: error,
    },
  );
}

function count(n: number): string {
  return `${n} secret${n === 1 ? "" : "s"}`;
}
