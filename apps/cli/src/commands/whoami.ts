import type { CommandContext } from "../command-context.js";
import { table } from "../output.js";
import { printJsonOr } from "./print.js";

/** `hush whoami`: the endpoint, tenant, role and token name in use, and where the token came from. */
export async function whoami(
  input: { json?: boolean | undefined },
  context: CommandContext,
): Promise<void> {
  const { endpoint, source } = context.credentials();
  const me = await context.client().me();
  const who = {
    endpoint,
    tenant: me.tenant.name,
    role: me.role,
    tokenName: me.tokenName,
    tokenFrom: source ?? null,
  };
  printJsonOr(context, input, who, () =>
    table(
      ["", ""],
      [
        ["endpoint", endpoint],
        ["tenant", me.tenant.name],
        ["role", me.role],
        ["token", `${me.tokenName ?? ""}${source ? ` (from ${source})` : ""}`],
      ],
    )
      .split("\n")
      .slice(1)
      .join("\n"),
  );
}
