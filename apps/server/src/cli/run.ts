import { readFileSync } from "node:fs";
import { isHushError } from "@hush/errors";
import { usageError } from "./cli-error.js";
import { INIT_HELP, initCommand } from "./commands/init.js";
import { MIGRATE_HELP, migrateCommand } from "./commands/migrate.js";
import { ROTATE_KEY_HELP, rotateKeyCommand } from "./commands/rotate-key.js";
import { START_HELP, startCommand } from "./commands/start.js";
import { TENANT_CREATE_HELP, tenantCreateCommand } from "./commands/tenant-create.js";
import { TOKEN_CREATE_HELP, tokenCreateCommand } from "./commands/token-create.js";
import { TOKEN_LIST_HELP, tokenListCommand } from "./commands/token-list.js";
import { TOKEN_REVOKE_HELP, tokenRevokeCommand } from "./commands/token-revoke.js";
import { type CliIo, processIo } from "./io.js";

const HELP = `Usage: hush-server <command> [options]

The hush secrets server: a GraphQL API over encrypted storage (SQLite, or PostgreSQL).

Commands:
  init             Set up a data folder: database, master key, tenant "default" and its admin token
  start            Start the server (default http://127.0.0.1:4200)
  migrate          Bring the database schema up to date
  rotate-key       Add a new master key and re-wrap every data key under it
  token create     Create an API token in a tenant, e.g. after losing the admin token
  token list       List the API tokens (never the tokens themselves)
  token revoke     Revoke an API token by id
  tenant create    Create a tenant and its first admin token

Run hush-server <command> --help for a command's options.

Options:
  -h, --help       Show this help
  -v, --version    Show the version
`;

type Command = (args: string[], io: CliIo) => Promise<number>;

const commands: Record<string, { run: Command; help: string }> = {
  init: { run: initCommand, help: INIT_HELP },
  start: { run: startCommand, help: START_HELP },
  migrate: { run: migrateCommand, help: MIGRATE_HELP },
  "rotate-key": { run: rotateKeyCommand, help: ROTATE_KEY_HELP },
  "token create": { run: tokenCreateCommand, help: TOKEN_CREATE_HELP },
  "token list": { run: tokenListCommand, help: TOKEN_LIST_HELP },
  "token revoke": { run: tokenRevokeCommand, help: TOKEN_REVOKE_HELP },
  "tenant create": { run: tenantCreateCommand, help: TENANT_CREATE_HELP },
};

function version(): string {
  // src/cli/run.ts and dist/cli/run.js are both two folders below package.json.
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return String(pkg.version);
}

// Commands of two words, by their first word.
const GROUPS: Record<string, { about: string; subcommands: string[] }> = {
  token: { about: "API tokens, without an admin token", subcommands: ["create", "list", "revoke"] },
  tenant: { about: "Tenants", subcommands: ["create"] },
};

function groupHelp(group: string): string {
  const { about, subcommands } = GROUPS[group]!;
  const lines = subcommands.map((sub) => {
    const summary = /^Usage: (.*)$/m.exec(commands[`${group} ${sub}`]!.help)?.[1] ?? "";
    return `  ${summary}`;
  });
  return `Usage: hush-server ${group} <${subcommands.join("|")}> [options]\n\n${about}:\n${lines.join("\n")}\n\nRun hush-server ${group} <command> --help for a command's options.\n`;
}

function findCommand(argv: string[]): { name: string; command: Command; rest: string[] } {
  const [first, second] = argv;
  const group = first === undefined ? undefined : GROUPS[first];
  if (group !== undefined) {
    if (second === "--help" || second === "-h" || second === "help") {
      const help: Command = async (_args, io) => {
        io.stdout.write(groupHelp(first!));
        return 0;
      };
      return { name: first!, command: help, rest: [] };
    }
    if (second === undefined || !group.subcommands.includes(second)) {
      const given = second === undefined ? first : `${first} ${second}`;
      throw usageError(
        `Unknown command: ${given}; ${first} takes ${group.subcommands.join(", ")}.`,
        first,
      );
    }
    const name = `${first} ${second}`;
    return { name, command: commands[name]!.run, rest: argv.slice(2) };
  }
  const found = first === undefined ? undefined : commands[first];
  if (found === undefined) throw usageError(`Unknown command: ${first}.`);
  return { name: first!, command: found.run, rest: argv.slice(1) };
}

/**
 * The `hush-server` command and its one error boundary: known errors print their message and
 * exit with their code; anything else prints its stack and exits 1.
 */
export async function run(argv: string[], io: CliIo = processIo()): Promise<number> {
  try {
    const first = argv[0];
    if (first === undefined || first === "--help" || first === "-h" || first === "help") {
      io.stdout.write(HELP);
      return first === undefined ? 2 : 0;
    }
    if (first === "--version" || first === "-v") {
      io.stdout.write(`${version()}\n`);
      return 0;
    }
    const { name, command, rest } = findCommand(argv);
    try {
      return await command(rest, io);
    } catch (error) {
      // node:util parseArgs reports unknown options and missing values with these codes.
      const code = (error as { code?: unknown }).code;
      if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_")) {
        throw usageError((error as Error).message, name);
      }
      throw error;
    }
  } catch (error) {
    if (isHushError(error)) {
      io.stderr.write(`hush-server: ${error.message}\n`);
      return typeof (error as { exitCode?: unknown }).exitCode === "number"
        ? (error as unknown as { exitCode: number }).exitCode
        : 1;
    }
    io.stderr.write(
      `hush-server: unexpected error, please report it:\n${(error as Error)?.stack ?? String(error)}\n`,
    );
    return 1;
  }
}
