import { type ConfigOrigin, describeOrigin } from "@hush/config";
import { Secret } from "@hush/core";
import { isHushError } from "@hush/errors";
import { type Command, Option } from "commander";
import { CliError, usageError } from "../cli-error.js";
import { ExitCode } from "../exit-codes.js";
import { editLocalSecret } from "../local-secrets-file.js";
import { table } from "../output.js";
import { confirmOrRefuse } from "../prompts.js";
import { readValue } from "../read-value.js";
import type { Mode, ModeFlags, Session } from "../session.js";
import {
  NO_SIZE_CHECK_HELP,
  refuseEmpty,
  refuseTooLarge,
  type ValueCheckFlags,
} from "../value-checks.js";
import { example, type SessionFor } from "./shared.js";

interface ReadFlags extends ModeFlags {
  json?: boolean;
}

export function registerSecrets(program: Command, session: SessionFor): void {
  const secrets = program
    .command("secrets")
    .description("List, read, set, delete and roll back secrets, locally or on the server.")
    .addHelpText(
      "after",
      '\nThe mode follows the config as Secret.get() does: the server when backend = "cloud" and\n' +
        "[cloud] use_local_secrets = false, else [context.secrets] of the config file.\n" +
        "--local and --cloud override it." +
        example("hush secrets set DB_URL", "hush secrets list --cloud"),
    );

  const modeOptions = (command: Command) =>
    command
      .addOption(
        new Option("--local", "use [context.secrets] of the config file").conflicts("cloud"),
      )
      .addOption(new Option("--cloud", "use the hush server"));

  modeOptions(secrets.command("list"))
    .description("List secret names (never values).")
    .option("--json", "print JSON")
    .addHelpText("after", example("hush secrets list", "hush secrets list --cloud --json"))
    .action(async (flags: ReadFlags, command: Command) => {
      const s = session(command);
      const mode = await s.mode(flags);
      const rows = await listSecrets(s, mode, flags);
      if (flags.json) s.out.json(rows);
      else if (rows.length === 0) s.out.info(`No secrets (${describeMode(s, mode, flags)}).`);
      else {
        const notes = rows.some((r) => !r.set);
        s.out.data(
          table(
            ["NAME", "SOURCE", "VERSION", "UPDATED", ...(notes ? ["NOTE"] : [])],
            rows.map((r) => [
              r.name,
              r.source,
              r.version?.toString() ?? "",
              r.updated ?? "",
              ...(notes ? [r.set ? "" : unsetNote(r, s.home)] : []),
            ]),
          ),
        );
      }
    });

  modeOptions(secrets.command("get"))
    .description("Print a secret's value on stdout.")
    .argument("<name>", "the secret's name")
    .option("--json", "print the value as JSON (a JSON text is parsed, as Secret.get() does)")
    .addHelpText("after", example("hush secrets get DB_URL", 'psql "$(hush secrets get DB_URL)"'))
    .action(async (name: string, flags: ReadFlags, command: Command) => {
      const s = session(command);
      s.useCore(await s.mode(flags), flags);
      const secret = new Secret(name);
      if (flags.json) s.out.json(await secret.get());
      else s.out.data(await secret.getString());
    });

  modeOptions(secrets.command("set"))
    .description(
      "Set a secret. Without VALUE it is read from a hidden prompt on a terminal, or from stdin.",
    )
    .argument("<name>", "the secret's name")
    .argument("[value]", "the value (it stays in your shell history; prefer the prompt or stdin)")
    .option("--from-file <file>", "read the value from a file")
    .option("--json", "parse the value as JSON (objects are stored as JSON)")
    .option("--allow-empty", "store an empty value (refused otherwise)")
    .option("--no-size-check", NO_SIZE_CHECK_HELP)
    .addHelpText(
      "after",
      example(
        "hush secrets set DB_URL                     # hidden prompt",
        'printf %s "$TOKEN" | hush secrets set API_TOKEN',
        "hush secrets set AWS --json --from-file aws.json",
      ),
    )
    .action(
      async (
        name: string,
        value: string | undefined,
        flags: ModeFlags & ValueCheckFlags & { fromFile?: string; json?: boolean },
        command: Command,
      ) => {
        const s = session(command);
        const mode = await s.mode(flags);
        const parsed = await readValue(name, { value, fromFile: flags.fromFile, json: flags.json });
        refuseEmpty([[name, parsed]], flags);
        if (mode === "local") {
          const text = typeof parsed === "string" ? parsed : JSON.stringify(parsed);
          editLocalSecret(localTarget(s), name, text);
          warnEnvOverride(s, name);
          s.out.info(`Set ${name} in ${s.loaded.userConfigPath}.`);
          return;
        }
        refuseTooLarge([[name, parsed]], flags);
        const { version } = await s.client().setSecret(name, parsed);
        warnShadowed(s, name, flags);
        s.out.info(`Set ${name} (version ${version}) on ${s.credentials().endpoint}.`);
      },
    );

  modeOptions(secrets.command("delete"))
    .description("Delete a secret (on the server its versions are kept).")
    .argument("<name>", "the secret's name")
    .option("-y, --yes", "do not ask for confirmation (needed when not on a terminal)")
    .addHelpText(
      "after",
      example("hush secrets delete OLD_TOKEN", "hush secrets delete OLD_TOKEN --cloud --yes"),
    )
    .action(async (name: string, flags: ModeFlags & { yes?: boolean }, command: Command) => {
      const s = session(command);
      const mode = await s.mode(flags);
      await confirmOrRefuse(
        `Delete the secret ${name} (${describeMode(s, mode, flags)})?`,
        flags.yes,
      );
      if (mode === "local") {
        if (!editLocalSecret(localTarget(s), name, undefined)) {
          throw new CliError(
            ExitCode.NOT_FOUND,
            "NOT_FOUND",
            `Local Secret "${name}" was not found in ${s.loaded.userConfigPath}.`,
          );
        }
        warnEnvOverride(s, name);
        s.out.info(`Deleted ${name} from ${s.loaded.userConfigPath}.`);
        return;
      }
      await s.client().deleteSecret(name);
      s.out.info(`Deleted ${name} on ${s.credentials().endpoint}.`);
    });

  modeOptions(secrets.command("versions"))
    .description("List a secret's versions on the server, newest first (never values).")
    .argument("<name>", "the secret's name")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nThe VALUE column: kept: the server still holds this version's value, which\n" +
        "`hush secrets rollback` can restore; dropped: only its metadata is left (the server\n" +
        "keeps the values of the newest versions only, 10 by default); deleted: this version\n" +
        "deleted the secret.\n" +
        example("hush secrets versions DB_URL"),
    )
    .action(async (name: string, flags: ReadFlags, command: Command) => {
      const s = session(command);
      serverOnly(await s.mode(flags), "Versions are kept");
      const versions = await s.client().secretVersions(name);
      if (flags.json) {
        s.out.json(versions);
        return;
      }
      s.out.data(
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
    });

  modeOptions(secrets.command("rollback"))
    .description("Make an earlier version's value the current one (as a new version).")
    .argument("<name>", "the secret's name")
    .argument("<version>", "the version to restore (see `hush secrets versions`)")
    .addHelpText("after", example("hush secrets rollback DB_URL 3"))
    .action(async (name: string, version: string, flags: ModeFlags, command: Command) => {
      const s = session(command);
      serverOnly(await s.mode(flags), "Rollback needs versions, which are kept");
      if (!/^[1-9][0-9]*$/.test(version))
        throw usageError(`VERSION must be a whole number from 1, not ${JSON.stringify(version)}.`);
      const result = await s
        .client()
        .rollbackSecret(name, Number(version))
        .catch((error: unknown) => {
          throw withVersionsHint(error, name);
        });
      s.out.info(`Rolled ${name} back to version ${version}: now version ${result.version}.`);
    });
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

async function listSecrets(s: Session, mode: Mode, flags: ModeFlags): Promise<ListedSecret[]> {
  const local: ListedSecret[] = [];
  if (!flags.cloud) {
    s.useCore("local", {});
    for (const name of Object.keys(s.config.context.secrets)) {
      if (await new Secret(name).exists()) local.push({ name, source: "local", set: true });
    }
  }
  if (mode === "local") {
    // Left out of the config because they name an unset variable: listed, so nothing vanishes.
    const listed = new Set(local.map((l) => l.name));
    for (const { key, variable, origin } of s.loaded.unsetReferences) {
      const name = key.split(".")[2] as string;
      if (listed.has(name)) continue;
      listed.add(name);
      local.push({ name, source: "local", set: false, variable, origin });
    }
    return local.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  const shadowed = new Set(local.map((l) => l.name));
  const remote = (await s.client().secrets()).filter((m) => !shadowed.has(m.name));
  return [
    ...local,
    ...remote.map((m) => ({
      name: m.name,
      source: "server" as const,
      set: true,
      version: m.version,
      updated: String(m.updated),
    })),
  ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `unset: ~/.hush/config.toml:6 names $STRIPE_KEY, which is not set`, as `config doctor` says. */
function unsetNote(secret: ListedSecret, home: string): string {
  const where = secret.origin === undefined ? "" : ` ${describeOrigin(secret.origin, home)}`;
  return `unset:${where} names $${secret.variable}, which is not set`;
}

function describeMode(s: Session, mode: Mode, flags: ModeFlags): string {
  if (mode === "local") return `local, in ${s.loaded.userConfigPath}`;
  return `${flags.cloud ? "server" : "local and server"}, ${s.credentials().endpoint}`;
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

function localTarget(s: Session) {
  return { path: s.loaded.userConfigPath, env: s.env, home: s.home };
}

function warnEnvOverride(s: Session, name: string): void {
  const origin = s.loaded.origins.get(`context.secrets.${name}`);
  if (origin?.kind === "env") {
    s.out.warn(`${origin.variable} is set and overrides the file's ${name}.`);
  }
}

function warnShadowed(s: Session, name: string, flags: ModeFlags): void {
  if (!flags.cloud && Object.hasOwn(s.config.context.secrets, name)) {
    s.out.warn(`A local ${name} in [context.secrets] is read before the server's.`);
  }
}
