import { type ConfigOrigin, describeOrigin } from "@hush/config";
import { Secret } from "@hush/core";
import { isHushError } from "@hush/errors";
import { CliError, usageError } from "../cli-error.js";
import type { CommandContext, Mode, ModeFlags } from "../command-context.js";
import { ExitCode } from "../exit-codes.js";
import { editLocalSecret } from "../local-secrets-file.js";
import { table } from "../output.js";
import { confirmOrRefuse } from "../prompts.js";
import { readValue } from "../read-value.js";
import { refuseEmpty, refuseTooLarge, type ValueCheckFlags } from "../value-checks.js";
import { printJsonOr } from "./print.js";

export interface SecretsReadInput extends ModeFlags {
  json?: boolean | undefined;
}

/** `hush secrets list`: the names (never values), local and on the server as the mode says. */
export async function secretsList(input: SecretsReadInput, context: CommandContext): Promise<void> {
  const mode = await context.mode(input);
  const rows = await listSecrets(context, mode, input);
  if (!input.json && rows.length === 0) {
    context.out.info(`No secrets (${describeMode(context, mode, input)}).`);
    return;
  }
  printJsonOr(context, input, rows, () => {
    const notes = rows.some((r) => !r.set);
    return table(
      ["NAME", "SOURCE", "VERSION", "UPDATED", ...(notes ? ["NOTE"] : [])],
      rows.map((r) => [
        r.name,
        r.source,
        r.version?.toString() ?? "",
        r.updated ?? "",
        ...(notes ? [r.set ? "" : unsetNote(r, context.home)] : []),
      ]),
    );
  });
}

/** `hush secrets get NAME`: the value on stdout, read as `Secret.get()` reads it. */
export async function secretsGet(
  input: SecretsReadInput & { name: string },
  context: CommandContext,
): Promise<void> {
  context.useCore(await context.mode(input), input);
  const secret = new Secret(input.name);
  if (input.json) context.out.json(await secret.get());
  else context.out.data(await secret.getString());
}

export interface SecretsSetInput extends ModeFlags, ValueCheckFlags {
  name: string;
  value?: string | undefined;
  fromFile?: string | undefined;
  json?: boolean | undefined;
}

/** `hush secrets set NAME [VALUE]`: in `[context.secrets]` of the config file, or on the server. */
export async function secretsSet(input: SecretsSetInput, context: CommandContext): Promise<void> {
  const { name } = input;
  const mode = await context.mode(input);
  const parsed = await readValue(name, input);
  refuseEmpty([[name, parsed]], input);
  if (mode === "local") {
    const text = typeof parsed === "string" ? parsed : JSON.stringify(parsed);
    editLocalSecret(localTarget(context), name, text);
    warnEnvOverride(context, name);
    context.out.info(`Set ${name} in ${context.loaded.userConfigPath}.`);
    return;
  }
  refuseTooLarge([[name, parsed]], input);
  const { version } = await context.client().setSecret(name, parsed);
  warnShadowed(context, name, input);
  context.out.info(`Set ${name} (version ${version}) on ${context.serverPlace()}.`);
}

/** `hush secrets delete NAME`: asks first on a terminal; without one it needs `--yes`. */
export async function secretsDelete(
  input: ModeFlags & { name: string; yes?: boolean | undefined },
  context: CommandContext,
): Promise<void> {
  const { name } = input;
  const mode = await context.mode(input);
  await confirmOrRefuse(
    `Delete the secret ${name} (${describeMode(context, mode, input)})?`,
    input.yes,
    context.stderr,
  );
  if (mode === "local") {
    if (!editLocalSecret(localTarget(context), name, undefined)) {
      throw new CliError(
        ExitCode.NOT_FOUND,
        "NOT_FOUND",
        `Local Secret "${name}" was not found in ${context.loaded.userConfigPath}.`,
      );
    }
    warnEnvOverride(context, name);
    context.out.info(`Deleted ${name} from ${context.loaded.userConfigPath}.`);
    return;
  }
  await context.client().deleteSecret(name);
  context.out.info(`Deleted ${name} on ${context.serverPlace()}.`);
}

/** `hush secrets versions NAME`: the server's versions, newest first (never values). */
export async function secretsVersions(
  input: SecretsReadInput & { name: string },
  context: CommandContext,
): Promise<void> {
  serverOnly(await context.mode(input), "Versions are kept");
  const versions = await context.client().secretVersions(input.name);
  printJsonOr(context, input, versions, () =>
    table(
      ["VERSION", "CREATED", "BY", "VALUE"],
      versions.map((v) => [
        String(v.version),
        String(v.created),
        v.createdBy ?? "",
        v.deleted ? "deleted" : v.hasValue ? "kept" : "dropped",
      ]),
    ),
  );
}

/** `hush secrets rollback NAME VERSION`: an earlier version's value made current, as a new one. */
export async function secretsRollback(
  input: ModeFlags & { name: string; version: string },
  context: CommandContext,
): Promise<void> {
  const { name, version } = input;
  serverOnly(await context.mode(input), "Rollback needs versions, which are kept");
  if (!/^[1-9][0-9]*$/.test(version))
    throw usageError(`VERSION must be a whole number from 1, not ${JSON.stringify(version)}.`);
  const result = await context
    .client()
    .rollbackSecret(name, Number(version))
    .catch((error: unknown) => {
      throw withVersionsHint(error, name);
    });
  context.out.info(`Rolled ${name} back to version ${version}: now version ${result.version}.`);
}

interface ListedSecret {
  name: string;
  source: "local" | "server";
  /** False for a local secret that names an unset variable (`"$VAR"`): it has no value. */
  set: boolean;
  version?: number;
  updated?: string;
  /** For an unset one: the variable, and the line that names it. */
  variable?: string;
  origin?: ConfigOrigin;
}

async function listSecrets(
  context: CommandContext,
  mode: Mode,
  flags: ModeFlags,
): Promise<ListedSecret[]> {
  const local: ListedSecret[] = [];
  if (!flags.cloud) {
    context.useCore("local", {});
    for (const name of Object.keys(context.config.context.secrets)) {
      if (await new Secret(name).exists()) local.push({ name, source: "local", set: true });
    }
  }
  if (mode === "local") {
    // Left out of the config because they name an unset variable: listed, so nothing vanishes.
    const listed = new Set(local.map((l) => l.name));
    for (const { key, variable, origin } of context.loaded.unsetReferences) {
      const name = key.split(".")[2] as string;
      if (listed.has(name)) continue;
      listed.add(name);
      local.push({ name, source: "local", set: false, variable, origin });
    }
    return local.sort(byName);
  }
  const shadowed = new Set(local.map((l) => l.name));
  const remote = (await context.client().secrets()).filter((m) => !shadowed.has(m.name));
  return [
    ...local,
    ...remote.map((m) => ({
      name: m.name,
      source: "server" as const,
      set: true,
      version: m.version,
      updated: String(m.updated),
    })),
  ].sort(byName);
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** `unset: ~/.hush/config.toml:6 names $STRIPE_KEY, which is not set`, as `config doctor` says. */
function unsetNote(secret: ListedSecret, home: string): string {
  const where = secret.origin === undefined ? "" : ` ${describeOrigin(secret.origin, home)}`;
  return `unset:${where} names $${secret.variable}, which is not set`;
}

function describeMode(context: CommandContext, mode: Mode, flags: ModeFlags): string {
  if (mode === "local") return `local, in ${context.loaded.userConfigPath}`;
  return `${flags.cloud ? "server" : "local and server"}, ${context.serverPlace()}`;
}

/** A rollback the server refused (no such version, or its value is gone), with where to look. */
function withVersionsHint(error: unknown, name: string): unknown {
  if (!isHushError(error) || (error.code !== "NOT_FOUND" && error.code !== "BAD_USER_INPUT")) {
    return error;
  }
  return new CliError(
    error.code === "NOT_FOUND" ? ExitCode.NOT_FOUND : ExitCode.ERROR,
    error.code,
    `${error.message} \`hush secrets versions ${name}\` lists its versions and which values are kept.`,
    { cause: error },
  );
}

function serverOnly(mode: Mode, what: string): void {
  if (mode === "local") {
    throw usageError(
      `${what} only on the hush server; pass --cloud, or set [cloud] use_local_secrets = false.`,
    );
  }
}

function localTarget(context: CommandContext) {
  return { path: context.loaded.userConfigPath, env: context.env, home: context.home };
}

function warnEnvOverride(context: CommandContext, name: string): void {
  const origin = context.loaded.origins.get(`context.secrets.${name}`);
  if (origin?.kind === "env") {
    context.out.warn(`${origin.variable} is set and overrides the file's ${name}.`);
  }
}

function warnShadowed(context: CommandContext, name: string, flags: ModeFlags): void {
  if (!flags.cloud && Object.hasOwn(context.config.context.secrets, name)) {
    context.out.warn(`A local ${name} in [context.secrets] is read before the server's.`);
  }
}
