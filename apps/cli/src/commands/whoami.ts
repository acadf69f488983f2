import type { CommandContext } from "../command-context.js";
import { table } from "../output.js";
import { printJsonOr } from "./print.js";

/**
 * `hush whoami`: the endpoint, tenant, role and token name in use, where the token came from, the
 * environment commands work in and those the token may use.
 */
export async function whoami(
  input: { json?: boolean | undefined },
  context: CommandContext,
): Promise<void> {
  const { endpoint, source } = context.credentials();
  const me = await context.client().me();
  // `me.environment` is where a request naming none goes; the config's or --env's wins over it.
  const environment = context.environment ?? me.environment;
  const who = {
    endpoint,
    tenant: me.tenant.name,
    role: me.role,
    tokenName: me.tokenName,
    tokenFrom: source ?? null,
    environment,
    environments: me.environments ?? null,
  };
  printJsonOr(context, input, who, () =>
    table(
      ["", ""],
      [
        ["endpoint", endpoint],
        ["tenant", me.tenant.name],
        ["role", me.role],
        ["token", `${me.tokenName ?? ""}${source ? ` (from ${source})` : ""}`],
        ["environment", environment],
        ["environments", me.environments?.join(", ") ?? "all"],
      ],
    )
      .split("\n")
      .slice(1)
      .join("\n"),
  );
}
