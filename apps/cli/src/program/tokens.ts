import { ROLE_NAMES, ROLES } from "@hush/schema/roles";
import type { Command } from "commander";
import {
  type TokensCreateInput,
  tokensCreate,
  tokensList,
  tokensRevoke,
} from "../commands/tokens.js";
import { type ContextFor, example } from "./declare.js";

const ROLES_HELP = `\nRoles:\n${ROLE_NAMES.map((role) => `  ${role.padEnd(16)}${ROLES[role].description}`).join("\n")}\n`;

export function declareTokens(program: Command, contextFor: ContextFor): void {
  const tokens = program
    .command("tokens")
    .description("Create, list and revoke API tokens (tenant admins).");
  tokens
    .command("create")
    .description("Create an API token; it is printed once, on stdout.")
    .argument("<name>", "a name for the token")
    .requiredOption("--role <role>", `one of ${ROLE_NAMES.join(", ")}`)
    .option("--expires-at <date>", "an ISO date-time after which it stops working")
    .option(
      "-e, --env <names>",
      "the environments it may use, comma-separated (default: all); scoped to one, it uses that one by default",
    )
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      ROLES_HELP +
        example(
          "hush tokens create ci --role RUNNER",
          "hush tokens create deploy-prod --role RUNNER --env production",
        ),
    )
    .action((name: string, flags: Omit<TokensCreateInput, "name">, command: Command) =>
      tokensCreate({ ...flags, name }, contextFor(command)),
    );
  tokens
    .command("list")
    .description("List the tenant's API tokens (never the tokens themselves).")
    .option("--json", "print JSON")
    .addHelpText("after", example("hush tokens list"))
    .action((flags: { json?: boolean }, command: Command) =>
      tokensList(flags, contextFor(command)),
    );
  tokens
    .command("revoke")
    .description("Revoke an API token at once.")
    .argument("<token>", "the token's name or id (see `hush tokens list`)")
    .addHelpText("after", example("hush tokens revoke ci-job", "hush tokens revoke <id>"))
    .action((token: string, _flags: object, command: Command) =>
      tokensRevoke({ token }, contextFor(command)),
    );
}
