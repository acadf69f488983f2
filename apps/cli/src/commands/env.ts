import type { CommandContext } from "../command-context.js";
import { table } from "../output.js";
import { confirmOrRefuse } from "../prompts.js";
import { printJsonOr } from "./print.js";

/** `hush env list`: the tenant's environments, the default marked, with their secret counts. */
export async function envList(
  input: { json?: boolean | undefined },
  context: CommandContext,
): Promise<void> {
  const environments = await context.client().environments();
  if (!input.json && environments.length === 0) {
    context.out.info(`No environments on ${context.credentials().endpoint}.`);
    return;
  }
  printJsonOr(context, input, environments, () => formatEnvironments(environments));
}

/** The table `hush env list` prints: NAME, DEFAULT (`*` on the default), SECRETS, CREATED. */
export function formatEnvironments(
  environments: ReadonlyArray<{
    name: string;
    isDefault: boolean;
    secretCount: number;
    created: string;
  }>,
): string {
  return table(
    ["NAME", "DEFAULT", "SECRETS", "CREATED"],
    environments.map((e) => [
      e.name,
      e.isDefault ? "*" : "",
      String(e.secretCount),
      String(e.created),
    ]),
  );
}

/** `hush env create NAME`. */
export async function envCreate(input: { name: string }, context: CommandContext): Promise<void> {
  const created = await context.client().createEnvironment({ name: input.name });
  context.out.info(
    `Created the environment "${created.name}" on ${context.credentials().endpoint}; use it with --env ${created.name}.`,
  );
}

/**
 * `hush env delete NAME`: asks first on a terminal (without one it needs `--yes`); `--force`
 * lets the server delete an environment that still holds secrets.
 */
export async function envDelete(
  input: { name: string; force?: boolean | undefined; yes?: boolean | undefined },
  context: CommandContext,
): Promise<void> {
  const { name } = input;
  const what = input.force
    ? `the environment "${name}" and every secret in it`
    : `the environment "${name}"`;
  await confirmOrRefuse(
    `Delete ${what} on ${context.credentials().endpoint}?`,
    input.yes,
    context.stderr,
  );
  await context.client().deleteEnvironment({ name, force: input.force ?? false });
  context.out.info(`Deleted the environment "${name}".`);
}

/** `hush env default NAME`: where requests that name no environment go from now on. */
export async function envDefault(input: { name: string }, context: CommandContext): Promise<void> {
  const environment = await context.client().setDefaultEnvironment({ name: input.name });
  context.out.info(
    `"${environment.name}" is now the default environment: requests that name none (and Prefect's operations) use it, except with tokens scoped to one environment.`,
  );
}
