import { listRoleNames, ROLE_NAMES, ROLES } from "@hush/schema";
import { Command, type Option } from "commander";
import { SERVICE_DEFAULTS } from "../service/service-defaults.js";
import { usageError } from "./cli-error.js";
import { type EnvOptions, env } from "./commands/env.js";
import { DEFAULT_TENANT, init } from "./commands/init.js";
import { migrate } from "./commands/migrate.js";
import { DEFAULT_BATCH_SIZE, rotateKey } from "./commands/rotate-key.js";
import { DEFAULT_LOG_LEVEL, LOG_LEVELS, start } from "./commands/start.js";
import { tenantCreate } from "./commands/tenant-create.js";
import { tokenCreate } from "./commands/token-create.js";
import { tokenList } from "./commands/token-list.js";
import { tokenRevoke } from "./commands/token-revoke.js";
import { trustCreate } from "./commands/trust-create.js";
import { trustDelete } from "./commands/trust-delete.js";
import { trustList } from "./commands/trust-list.js";
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  endpointOf,
  flag,
  httpOptions,
  listenOptions,
  privateIssuersOption,
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

  declare(program, "init", {
    summary: `Set up a data folder: database, master key, tenant "${DEFAULT_TENANT}" and its admin token`,
    description: `Set up a data folder: the database (with its migrations), the master key file (mode 0600) and a first tenant "${DEFAULT_TENANT}" with a TENANT_ADMIN token named "admin", printed once. Running it again changes nothing.`,
    options: [
      ...storageOptions(),
      ...listenOptions(),
      json(`{"endpoint","tenant","token","created"}`),
    ],
    after: "--host and --port are only used to print the endpoint clients should use.",
  }).action(calls(init));

  const { maxValueBytes, maxRequestValueBytes } = SERVICE_DEFAULTS;
  declare(program, "start", {
    summary: `Start the server (default ${endpointOf(DEFAULT_HOST, DEFAULT_PORT)})`,
    description: `Start the server (default ${endpointOf(DEFAULT_HOST, DEFAULT_PORT)}): POST/GET /graphql, GET /healthz, GET /readyz. Migrations run first. Logs are JSON lines on stdout. SIGINT or SIGTERM stops it after pending writes are committed. If the storage can no longer write (SQLite's writer thread died), it logs a fatal line and exits with code 1, for a supervisor to restart it.\nThe master key comes from HUSH_MASTER_KEY, else the data folder's master.key.`,
    options: [
      ...storageOptions(),
      ...listenOptions(),
      ...httpOptions(),
      flag("--dev", "Also serve GraphiQL at /graphiql"),
      flag(
        "--allow-private-webhooks",
        "Let webhooks target private network addresses (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7)",
        { env: "HUSH_ALLOW_PRIVATE_WEBHOOKS=1" },
      ),
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
      privateIssuersOption(),
      ...operationsOptions(),
    ],
  }).action(calls(start));

  declare(program, "migrate", {
    summary: "Bring the database schema up to date",
    description:
      "Bring the database schema up to date. `start` does this too; run it on its own to migrate before rolling out new replicas. Safe to run more than once and from several places at once.",
    options: storageOptions(),
  }).action(calls(migrate));

  declare(program, "rotate-key", {
    summary: "Add a new master key and re-wrap every data key under it",
    description: `Rotate the master key: add a new random key to the key file, make it current, then re-wrap every stored data key under it (values are not re-encrypted), ${DEFAULT_BATCH_SIZE} rows per transaction. Servers keep serving meanwhile and learn the new key without a restart. If a rotation was interrupted, running the command again finishes it instead of adding another key.\n\nWith HUSH_MASTER_KEYS, put the new key first in it on every server (a rolling restart), then run rotate-key with the same HUSH_MASTER_KEYS to re-wrap the stored data keys under it.`,
    options: [
      ...storageOptions(),
      flag("--retire", "Do not rotate: remove the older keys that no stored value uses any more"),
      flag("--batch-size <n>", "Rows re-wrapped per transaction", { default: DEFAULT_BATCH_SIZE }),
    ],
  }).action(calls(rotateKey));

  const token = group(program, "token", "API tokens, without an admin token: create, list, revoke");
  declare(token, "create", {
    usage: "--role ROLE --name NAME [options]",
    summary: "Create an API token in a tenant, e.g. after losing the admin token",
    description:
      "Create an API token directly in the database, without an admin token: the way back in after losing one. The token is printed once.",
    options: [
      flag("--role <role>", listRoleNames()),
      flag("--name <name>", "A name to recognise the token by, e.g. ci-runner"),
      flag("--tenant <tenant>", "The tenant", { default: `"${DEFAULT_TENANT}"` }),
      flag(
        "--expires-at <time>",
        "When the token stops working, ISO 8601, e.g. 2030-01-01T00:00:00Z",
      ),
      flag(
        "--env <names>",
        "The environments the token may use, comma-separated, e.g. production,staging",
        { default: "every environment" },
      ),
      ...storageOptions(),
      json(`{"id","token"}`),
    ],
    after: `Roles:\n${ROLES_HELP}\n`,
  }).action(calls(tokenCreate));

  declare(token, "list", {
    summary: "List the API tokens (never the tokens themselves)",
    description:
      "List the API tokens in the database (ids, names, roles, dates; never the tokens themselves), without an admin token. Revoke one with: hush-server token revoke ID",
    options: [
      flag("--tenant <tenant>", "Only this tenant's tokens", { default: "every tenant's" }),
      ...storageOptions(),
      json(
        `a JSON array of {"id","tenant","name","role","created","expiresAt","revokedAt","environments"}`,
      ),
    ],
  }).action(calls(tokenList));

  declare(token, "revoke", {
    usage: "ID [options]",
    summary: "Revoke an API token by id",
    description:
      "Revoke an API token by its id, in whichever tenant, without an admin token. Running servers refuse it at once (on PostgreSQL every replica is told), or within a few seconds if they cannot be told. Revoking twice changes nothing. A tenant's last active TENANT_ADMIN token is refused: create another first (hush-server token create --tenant T --role TENANT_ADMIN --name N), or pass --force.",
    options: [
      ...storageOptions(),
      flag("--force", "Revoke even a tenant's last active TENANT_ADMIN token"),
    ],
  })
    .argument("[id]", "The token's id (hush-server token list shows them)")
    .action(callsWith("id", tokenRevoke));

  const tenant = group(program, "tenant", "Tenants: create");
  declare(tenant, "create", {
    usage: "NAME [options]",
    summary: "Create a tenant and its first admin token",
    description: 'Create a tenant and its first TENANT_ADMIN token, named "admin", printed once.',
    options: [...storageOptions(), json(`{"tenant","token"}`)],
  })
    .argument("[name]", 'The tenant\'s name: letters, digits, "_", "." and "-"')
    .action(callsWith("name", tenantCreate));

  const environments = group(
    program,
    "env",
    "Environments of a tenant, without an admin token: list, create, delete, default",
  );
  const envOptions = [
    flag("--tenant <tenant>", "The tenant", { default: `"${DEFAULT_TENANT}"` }),
    ...storageOptions(),
    json(`a JSON array of {"name","isDefault","created","secretCount"}`),
  ];
  declare(environments, "list", {
    summary: "List a tenant's environments",
    description: "List a tenant's environments, its default marked, with their secret counts.",
    options: envOptions,
  }).action(calls((options: EnvOptions, cliIo) => env("list", options, cliIo)));
  const environmentName = 'The environment\'s name: lowercase letters, digits and "-"';
  for (const [action, summary, description, more] of [
    ["create", "Create an environment", "Create an environment in a tenant, then list them.", []],
    [
      "delete",
      "Delete an environment",
      "Delete an environment: refused while it holds secrets unless --force, and for the default or last one.",
      [flag("--force", "Delete it with its secrets")],
    ],
    [
      "default",
      "Make an environment the default",
      "Make an environment the tenant's default: the one requests without an environment use.",
      [],
    ],
  ] as const) {
    declare(environments, action, {
      usage: "NAME [options]",
      summary,
      description,
      options: [...more, ...envOptions],
    })
      .argument("[name]", environmentName)
      .action(callsWith("name", (options: EnvOptions, cliIo) => env(action, options, cliIo)));
  }

  const trust = group(
    program,
    "trust",
    "Identity trusts (workloads exchanging OpenID Connect tokens), without an admin token: create, list, delete",
  );
  const trustJsonShape = `{"id","tenant","issuer","audience","subject","claims","role","environments","ttlSeconds","created","createdBy"}`;
  declare(trust, "create", {
    usage: "--issuer URL --audience AUD --subject PATTERN [options]",
    summary: "Trust an issuer's workloads to exchange their tokens for API tokens",
    description:
      "Create an identity trust in a tenant: workloads holding an OpenID Connect token of the issuer, for the audience, whose subject matches (exactly, or a glob where * stands for any run of characters) and that carry the claims, may exchange it (the exchangeIdentityToken mutation, hush login --oidc) for an API token of the role that expires after the TTL. The issuer must be https:// (http:// only on the server's own machine); private network addresses need --allow-private-issuers.",
    options: [
      flag(
        "--issuer <url>",
        "The issuer, as its tokens' iss says it, e.g. https://token.actions.githubusercontent.com",
      ),
      flag("--audience <aud>", "The audience the tokens must be issued for, e.g. hush"),
      flag(
        "--subject <pattern>",
        "The subject, e.g. repo:acme/app:ref:refs/heads/main or repo:acme/*",
      ),
      flag(
        "--claim <name=value>",
        "A further claim the tokens must carry (repeatable; the value may hold *), e.g. repository_owner=acme",
      ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]),
      flag(
        "--role <role>",
        "The issued tokens' role: RUNNER, READ_ONLY_USER or USER (never TENANT_ADMIN)",
        {
          default: "RUNNER",
        },
      ),
      flag("--env <names>", "The environments the issued tokens may use, comma-separated", {
        default: "every environment",
      }),
      flag("--ttl <duration>", "How long an issued token lasts: 60s to 12h, e.g. 900s, 15m, 2h", {
        default: "15m",
      }),
      flag("--tenant <tenant>", "The tenant", { default: `"${DEFAULT_TENANT}"` }),
      privateIssuersOption(),
      ...storageOptions(),
      json(trustJsonShape),
    ],
  }).action(calls(trustCreate));
  declare(trust, "list", {
    summary: "List the identity trusts",
    description:
      "List the identity trusts in the database, without an admin token. Delete one with: hush-server trust delete ID",
    options: [
      flag("--tenant <tenant>", "Only this tenant's trusts", { default: "every tenant's" }),
      ...storageOptions(),
      json(`a JSON array of ${trustJsonShape}`),
    ],
  }).action(calls(trustList));
  declare(trust, "delete", {
    usage: "ID [options]",
    summary: "Delete an identity trust by id",
    description:
      "Delete an identity trust by its id, in whichever tenant, without an admin token. The tokens it issued keep working until they expire; revoke them (hush-server token revoke) to stop them sooner.",
    options: [...storageOptions(), json(trustJsonShape)],
  })
    .argument("[id]", "The trust's id (hush-server trust list shows them)")
    .action(callsWith("id", trustDelete));

  refuseUnknownSubcommand(token);
  refuseUnknownSubcommand(trust);
  refuseUnknownSubcommand(tenant);
  refuseUnknownSubcommand(environments);
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

/** A command: its help (`summary` in its parent's list, `description` in its own) and options. */
function declare(
  parent: Command,
  name: string,
  help: { summary: string; description: string; usage?: string; options: Option[]; after?: string },
): Command {
  const command = parent.command(name).summary(help.summary).description(help.description);
  if (help.usage !== undefined) command.usage(help.usage);
  for (const option of help.options) command.addOption(option);
  if (help.after !== undefined) command.addHelpText("after", `\n${help.after}`);
  return command;
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
