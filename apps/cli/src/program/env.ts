import type { Command } from "commander";
import { envCreate, envDefault, envDelete, envList } from "../commands/env.js";
import { type ContextFor, example } from "./declare.js";

const CHOOSING = `
Secret commands work in one environment: --env NAME, else [cloud] environment of the config
(HUSH__CLOUD__ENVIRONMENT), else the token's only environment when it is scoped to one, else
the tenant's default. Local secrets ([context.secrets]) have no environments.
`;

export function declareEnv(program: Command, contextFor: ContextFor): void {
  const env = program
    .command("env")
    .description("List, create and delete the server's environments, and choose the default.")
    .addHelpText(
      "after",
      CHOOSING +
        example("hush env list", "hush env create staging", "hush secrets list --env staging"),
    );
  env
    .command("list")
    .description("List the environments: name, default (*), how many secrets each holds.")
    .option("--json", "print JSON")
    .addHelpText("after", example("hush env list", "hush env list --json"))
    .action((flags: { json?: boolean }, command: Command) => envList(flags, contextFor(command)));
  env
    .command("create")
    .description("Create an environment (tenant admins).")
    .argument("<name>", "lowercase letters, digits and -, 1 to 32 characters")
    .addHelpText("after", example("hush env create staging"))
    .action((name: string, _flags: object, command: Command) =>
      envCreate({ name }, contextFor(command)),
    );
  env
    .command("delete")
    .description("Delete an environment (tenant admins); one holding secrets needs --force.")
    .argument("<name>", "the environment's name")
    .option("--force", "delete it with every secret it holds")
    .option("-y, --yes", "do not ask for confirmation (needed when not on a terminal)")
    .addHelpText("after", example("hush env delete preview-42 --force --yes"))
    .action((name: string, flags: { force?: boolean; yes?: boolean }, command: Command) =>
      envDelete({ ...flags, name }, contextFor(command)),
    );
  env
    .command("default")
    .description("Make an environment the tenant's default (tenant admins).")
    .argument("<name>", "the environment's name")
    .addHelpText("after", example("hush env default production"))
    .action((name: string, _flags: object, command: Command) =>
      envDefault({ name }, contextFor(command)),
    );
}
