import { type Command, Option } from "commander";
import type { ModeFlags } from "../command-context.js";
import {
  type SecretsReadInput,
  type SecretsSetInput,
  secretsDelete,
  secretsGet,
  secretsList,
  secretsRollback,
  secretsSet,
  secretsVersions,
} from "../commands/secrets.js";
import {
  type SecretsCopyInput,
  type SecretsDiffInput,
  secretsCopy,
  secretsDiff,
} from "../commands/secrets-across.js";
import { NO_SIZE_CHECK_HELP } from "../value-checks.js";
import { type ContextFor, envOption, example } from "./declare.js";

export function declareSecrets(program: Command, contextFor: ContextFor): void {
  const secrets = program
    .command("secrets")
    .description("List, read, set, delete and roll back secrets, locally or on the server.")
    .addHelpText(
      "after",
      '\nThe mode follows the config as Secret.get() does: the server when backend = "cloud" and\n' +
        "[cloud] use_local_secrets = false, else [context.secrets] of the config file.\n" +
        "--local and --cloud override it. On the server, secrets live in environments: --env NAME,\n" +
        "else [cloud] environment, else the token's only environment, else the tenant's default." +
        example(
          "hush secrets set DB_URL",
          "hush secrets list --cloud",
          "hush secrets get DB_URL --env staging",
          "hush secrets diff staging production",
        ),
    );

  const modeOptions = (command: Command) =>
    command
      .addOption(
        new Option("--local", "use [context.secrets] of the config file").conflicts("cloud"),
      )
      .addOption(new Option("--cloud", "use the hush server"))
      .addOption(envOption());

  modeOptions(secrets.command("list"))
    .description("List secret names (never values).")
    .option("--json", "print JSON")
    .addHelpText("after", example("hush secrets list", "hush secrets list --cloud --json"))
    .action((flags: SecretsReadInput, command: Command) => secretsList(flags, contextFor(command)));

  modeOptions(secrets.command("get"))
    .description("Print a secret's value on stdout.")
    .argument("<name>", "the secret's name")
    .option("--json", "print the value as JSON (a JSON text is parsed, as Secret.get() does)")
    .addHelpText("after", example("hush secrets get DB_URL", 'psql "$(hush secrets get DB_URL)"'))
    .action((name: string, flags: SecretsReadInput, command: Command) =>
      secretsGet({ ...flags, name }, contextFor(command)),
    );

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
      (
        name: string,
        value: string | undefined,
        flags: Omit<SecretsSetInput, "name" | "value">,
        command: Command,
      ) => secretsSet({ ...flags, name, value }, contextFor(command)),
    );

  modeOptions(secrets.command("delete"))
    .description("Delete a secret (on the server its versions are kept).")
    .argument("<name>", "the secret's name")
    .option("-y, --yes", "do not ask for confirmation (needed when not on a terminal)")
    .addHelpText(
      "after",
      example("hush secrets delete OLD_TOKEN", "hush secrets delete OLD_TOKEN --cloud --yes"),
    )
    .action((name: string, flags: ModeFlags & { yes?: boolean }, command: Command) =>
      secretsDelete({ ...flags, name }, contextFor(command)),
    );

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
    .action((name: string, flags: SecretsReadInput, command: Command) =>
      secretsVersions({ ...flags, name }, contextFor(command)),
    );

  modeOptions(secrets.command("rollback"))
    .description("Make an earlier version's value the current one (as a new version).")
    .argument("<name>", "the secret's name")
    .argument("<version>", "the version to restore (see `hush secrets versions`)")
    .addHelpText("after", example("hush secrets rollback DB_URL 3"))
    .action((name: string, version: string, flags: ModeFlags, command: Command) =>
      secretsRollback({ ...flags, name, version }, contextFor(command)),
    );

  secrets
    .command("diff")
    .description(
      "Compare two server environments' secrets by name: same, different or only in one (never values).",
    )
    .argument("<from>", "an environment")
    .argument("<to>", "another environment")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nExit status, as diff(1): 0 when both hold the same names with the same values, 1 when\n" +
        "they differ, 2 for an unknown environment; 3-5 as for other commands.\n" +
        example(
          "hush secrets diff staging production",
          "hush secrets diff staging production --json",
        ),
    )
    .action(
      (from: string, to: string, flags: Omit<SecretsDiffInput, "from" | "to">, command: Command) =>
        secretsDiff({ ...flags, from, to }, contextFor(command)),
    );

  secrets
    .command("copy")
    .description(
      "Copy secrets' current values from one server environment to another, on the server (names are printed, never values).",
    )
    .argument("[names...]", "the secrets to copy (or --all)")
    .requiredOption("--from <env>", "the environment to copy from")
    .requiredOption("--to <env>", "the environment to copy to")
    .option("--all", "copy every secret of --from")
    .option("--overwrite", "replace secrets --to holds already (skipped otherwise)")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      example(
        "hush secrets copy DB_URL API_KEY --from staging --to production",
        "hush secrets copy --all --from production --to preview-42 --overwrite",
      ),
    )
    .action((names: string[], flags: Omit<SecretsCopyInput, "names">, command: Command) =>
      secretsCopy({ ...flags, names }, contextFor(command)),
    );
}
