import { listRoleNames, ROLE_NAMES, ROLES } from "@hush/schema";
import { Command } from "commander";
import { SERVICE_DEFAULTS } from "../service/service-defaults.js";
import { usageError } from "./cli-error.js";
import { DEFAULT_TENANT, init } from "./commands/init.js";
import { migrate } from "./commands/migrate.js";
import { DEFAULT_BATCH_SIZE, rotateKey } from "./commands/rotate-key.js";
import { DEFAULT_LOG_LEVEL, LOG_LEVELS, start } from "./commands/start.js";
import { tenantCreate } from "./commands/tenant-create.js";
import { tokenCreate } from "./commands/token-create.js";
import { tokenList } from "./commands/token-list.js";
import { tokenRevoke } from "./commands/token-revoke.js";
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  endpointOf,
  flag,
  httpOptions,
  listenOptions,
  storageOptions,
} from "./common-options.js";
import type { CliIo } from "./io.js";
import { operationsOptions } from "./operations-options.js";

/** A command's behaviour: its parsed options and where it writes, to its exit code. */
type Run<O> = (options: O, io: CliIo) => Promise<number>;

/** What the commands set for `run` to return. */
export interface ProgramState {
  exitCode?: number;
}

const json = (shape: string) => flag("--json", `Print ${shape} as JSON`);

const ROLES_HELP = ROLE_NAMES.map((role) => `  ${role.padEnd(22)}${ROLES[role].description}`).join(
  "\n",
);

/**
 * The `hush-server` command line: each command's options, declared once (its help is generated
 * from them), and the function it calls with them. Nothing here does the work.
 */
export function buildProgram(io: CliIo, state: ProgramState, version: string): Command {
  const calls =
    <O>(command: Run<O>) =>
    async (options: O) => {
      state.exitCode = await command(options, io);
    };
  // The positional argument of `tenant create NAME` and `token revoke ID`, as an option.
  const callsWith =
    <O>(key: string, command: Run<O>) =>
    async (value: string | undefined, options: O) => {
      state.exitCode = await command({ ...options, [key]: value }, io);
    };

  const program = new Command("hush-server")
    .description(
      "The hush secrets server: a GraphQL API over encrypted storage (SQLite, or PostgreSQL).",
    )
    .version(version, "-v, --version", "Show the version")
    .helpOption("-h, --help", "Show this help")
    .helpCommand("help [command]", "Show a command's help")
    .enablePositionalOptions()
    .addHelpText("after", "\nRun hush-server <command> --help for a command's options.");

  const init_ = program
    .command("init")
    .summary(
      `Set up a data folder: database, master key, tenant "${DEFAULT_TENANT}" and its admin token`,
    )
    .description(
      `Set up a data folder: the database (with its migrations), the master key file (mode 0600) and a first tenant "${DEFAULT_TENANT}" with a TENANT_ADMIN token named "admin", printed once. Running it again changes nothing.`,
    );
  for (const option of [...storageOptions(), ...listenOptions()]) init_.addOption(option);
  init_
    .addOption(json(`{"endpoint","tenant","token","created"}`))
    .addHelpText(
      "after",
      "\n--host and --port are only used to print the endpoint clients should use.",
    )
    .action(calls(init));

  const start_ = program
    .command("start")
    .summary(`Start the server (default ${endpointOf(DEFAULT_HOST, DEFAULT_PORT)})`)
    .description(
      `Start the server (default ${endpointOf(DEFAULT_HOST, DEFAULT_PORT)}): POST/GET /graphql, GET /healthz, GET /readyz. Migrations run first. Logs are JSON lines on stdout. SIGINT or SIGTERM stops it after pending writes are committed. If the storage can no longer write (SQLite's writer thread died), it logs a fatal line and exits with code 1, for a supervisor to restart it.\nThe master key comes from HUSH_MASTER_KEY, else the data folder's master.key.`,
    );
  for (const option of [...storageOptions(), ...listenOptions(), ...httpOptions()]) {
    start_.addOption(option);
  }
  const { maxValueBytes, maxRequestValueBytes } = SERVICE_DEFAULTS;
  for (const option of [
    flag("--dev", "Also serve GraphiQL at /graphiql"),
    flag("--max-value-bytes <n>", "The largest value accepted, in bytes of JSON", {
      default: maxValueBytes,
    }),
    flag(
      "--max-request-value-bytes <n>",
      "The most bytes of values one request may read, all its fields together; at least --max-value-bytes",
      { default: `${maxRequestValueBytes}, ${maxRequestValueBytes / 2 ** 20} MiB` },
    ),
    flag("--audit-max-age-days <n>", "Delete audit events older than N days, 0 for never", {
      default: SERVICE_DEFAULTS.auditMaxAgeDays,
    }),
    flag("--audit-max-events <n>", "Keep at most N audit events per tenant, 0 for no limit", {
      default: SERVICE_DEFAULTS.auditMaxEventsPerTenant,
    }),
    flag("--log-level <level>", LOG_LEVELS.join(", "), { default: DEFAULT_LOG_LEVEL }),
    ...operationsOptions(),
  ]) {
    start_.addOption(option);
  }
  start_.action(calls(start));

  const migrate_ = program
    .command("migrate")
    .summary("Bring the database schema up to date")
    .description(
      "Bring the database schema up to date. `start` does this too; run it on its own to migrate before rolling out new replicas. Safe to run more than once and from several places at once.",
    );
  for (const option of storageOptions()) migrate_.addOption(option);
  migrate_.action(calls(migrate));

  const rotate = program
    .command("rotate-key")
    .summary("Add a new master key and re-wrap every data key under it")
    .description(
      `Rotate the master key: add a new random key to the key file, make it current, then re-wrap every stored data key under it (values are not re-encrypted), ${DEFAULT_BATCH_SIZE} rows per transaction. Servers keep serving meanwhile and learn the new key without a restart. If a rotation was interrupted, running the command again finishes it instead of adding another key.\n\nWith HUSH_MASTER_KEYS, put the new key first in it on every server (a rolling restart), then run rotate-key with the same HUSH_MASTER_KEYS to re-wrap the stored data keys under it.`,
    );
  for (const option of storageOptions()) rotate.addOption(option);
  rotate
    .addOption(
      flag("--retire", "Do not rotate: remove the older keys that no stored value uses any more"),
    )
    .addOption(
      flag("--batch-size <n>", "Rows re-wrapped per transaction", { default: DEFAULT_BATCH_SIZE }),
    )
    .action(calls(rotateKey));

  const token = group(program, "token", "API tokens, without an admin token: create, list, revoke");
  const create = token
    .command("create")
    .usage("--role ROLE --name NAME [options]")
    .summary("Create an API token in a tenant, e.g. after losing the admin token")
    .description(
      "Create an API token directly in the database, without an admin token: the way back in after losing one. The token is printed once.",
    )
    .addOption(flag("--role <role>", listRoleNames()))
    .addOption(flag("--name <name>", "A name to recognise the token by, e.g. ci-runner"))
    .addOption(flag("--tenant <tenant>", "The tenant", { default: `"${DEFAULT_TENANT}"` }))
    .addOption(
      flag(
        "--expires-at <time>",
        "When the token stops working, ISO 8601, e.g. 2030-01-01T00:00:00Z",
      ),
    );
  for (const option of storageOptions()) create.addOption(option);
  create
    .addOption(json(`{"id","token"}`))
    .addHelpText("after", `\nRoles:\n${ROLES_HELP}\n`)
    .action(calls(tokenCreate));

  const list = token
    .command("list")
    .summary("List the API tokens (never the tokens themselves)")
    .description(
      "List the API tokens in the database (ids, names, roles, dates; never the tokens themselves), without an admin token. Revoke one with: hush-server token revoke ID",
    )
    .addOption(
      flag("--tenant <tenant>", "Only this tenant's tokens", { default: "every tenant's" }),
    );
  for (const option of storageOptions()) list.addOption(option);
  list
    .addOption(
      json(`a JSON array of {"id","tenant","name","role","created","expiresAt","revokedAt"}`),
    )
    .action(calls(tokenList));

  const revoke = token
    .command("revoke")
    .usage("ID [options]")
    .summary("Revoke an API token by id")
    .argument("[id]", "The token's id (hush-server token list shows them)")
    .description(
      "Revoke an API token by its id, in whichever tenant, without an admin token. Running servers refuse it at once (on PostgreSQL every replica is told), or within a few seconds if they cannot be told. Revoking twice changes nothing. A tenant's last active TENANT_ADMIN token is refused: create another first (hush-server token create --tenant T --role TENANT_ADMIN --name N), or pass --force.",
    );
  for (const option of storageOptions()) revoke.addOption(option);
  revoke
    .addOption(flag("--force", "Revoke even a tenant's last active TENANT_ADMIN token"))
    .action(callsWith("id", tokenRevoke));

  const tenant = group(program, "tenant", "Tenants: create");
  const tenantCreate_ = tenant
    .command("create")
    .usage("NAME [options]")
    .summary("Create a tenant and its first admin token")
    .argument("[name]", 'The tenant\'s name: letters, digits, "_", "." and "-"')
    .description('Create a tenant and its first TENANT_ADMIN token, named "admin", printed once.');
  for (const option of storageOptions()) tenantCreate_.addOption(option);
  tenantCreate_.addOption(json(`{"tenant","token"}`)).action(callsWith("name", tenantCreate));

  refuseUnknownSubcommand(token);
  refuseUnknownSubcommand(tenant);
  // Only reached without a command, or with one that is not above.
  program
    .allowUnknownOption()
    .allowExcessArguments()
    .action((_options: object, command: Command) => {
      const [given] = command.args;
      if (given !== undefined) throw usageError(`Unknown command: ${given}.`);
      io.stdout.write(command.helpInformation());
      state.exitCode = 2;
    });
  return program;
}

/** The first word of commands of two words. */
function group(program: Command, name: string, about: string): Command {
  return program
    .command(name)
    .description(about)
    .addHelpText("after", `\nRun hush-server ${name} <command> --help for a command's options.`);
}

/**
 * Reached only without a known second word. Set once the subcommands are added, which would
 * copy the settings otherwise.
 */
function refuseUnknownSubcommand(group: Command): void {
  const name = group.name();
  group
    .allowUnknownOption()
    .allowExcessArguments()
    .action((_options: object, command: Command) => {
      const subcommands = command.commands.map((sub) => sub.name()).join(", ");
      throw usageError(
        `Unknown command: ${[name, ...command.args].join(" ")}; ${name} takes ${subcommands}.`,
        name,
      );
    });
}
