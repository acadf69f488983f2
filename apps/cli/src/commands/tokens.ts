import { isRoleName, ROLE_NAMES } from "@hush/schema/roles";
import { containsTokenLike } from "@hush/schema/token-shape";
import { CliError, usageError } from "../cli-error.js";
import type { CommandContext } from "../command-context.js";
import { ExitCode } from "../exit-codes.js";
import { table } from "../output.js";
import { printJsonOr } from "./print.js";

export interface TokensCreateInput {
  name: string;
  role: string;
  expiresAt?: string | undefined;
  /** `--env E[,E2]`: the environments the token may use; all of them when absent. */
  env?: string | undefined;
  json?: boolean | undefined;
}

/** The environments `--env E[,E2]` names, in order, each once; undefined without the option. */
export function tokenEnvironments(env: string | undefined): string[] | undefined {
  if (env === undefined) return undefined;
  const names = [...new Set(env.split(",").map((name) => name.trim()))];
  if (names.some((name) => name === "")) {
    throw usageError(
      "--env takes environment names separated by commas, such as --env staging,production.",
    );
  }
  return names;
}

/** `hush tokens create NAME --role ROLE`: the new token, printed once on stdout. */
export async function tokensCreate(
  input: TokensCreateInput,
  context: CommandContext,
): Promise<void> {
  const { name } = input;
  const role = input.role.toUpperCase();
  if (!isRoleName(role)) throw usageError(`--role must be one of ${ROLE_NAMES.join(", ")}.`);
  const environments = tokenEnvironments(input.env);
  const created = await context.client().createApiToken({
    name,
    role,
    expiresAt: input.expiresAt ?? null,
    environments: environments ?? null,
  });
  if (input.json) context.out.json({ ...created.apiToken, token: created.token });
  else {
    context.out.data(created.token);
    const scope =
      environments === undefined ? "every environment" : `environments ${environments.join(", ")}`;
    context.out.info(
      `Created token "${name}" (${role}, ${scope}, id ${created.id}). It is shown only this once.`,
    );
  }
}

/** `hush tokens list`: the tenant's tokens (metadata, never the tokens). */
export async function tokensList(
  input: { json?: boolean | undefined },
  context: CommandContext,
): Promise<void> {
  const list = await context.client().apiTokens();
  printJsonOr(context, input, list, () =>
    table(
      ["ID", "NAME", "ROLE", "ENVIRONMENTS", "CREATED", "EXPIRES", "REVOKED"],
      list.map((t) => [
        t.id,
        t.name,
        t.role,
        t.environments?.join(",") ?? "all",
        String(t.created),
        String(t.expiresAt ?? ""),
        String(t.revokedAt ?? ""),
      ]),
    ),
  );
}

/** `hush tokens revoke NAME|ID`: revokes the token at once. */
export async function tokensRevoke(
  input: { token: string },
  context: CommandContext,
): Promise<void> {
  const { id, name } = await findToken(context, input.token);
  await context.client().revokeApiToken(id);
  context.out.info(`Revoked token ${name === undefined ? id : `"${name}" (id ${id})`}.`);
}

/** A token id as the server gives them (a UUID): used as it is, without listing the tokens. */
const TOKEN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The token `hush tokens revoke` means: an id as it is; else the one unrevoked token of that
 * name. A name that several tokens share is refused (exit 2) with their ids.
 */
async function findToken(
  context: CommandContext,
  nameOrId: string,
): Promise<{ id: string; name?: string }> {
  if (TOKEN_ID.test(nameOrId)) return { id: nameOrId };
  const named = (await context.client().apiTokens()).filter((t) => t.name === nameOrId);
  const live = named.filter((t) => t.revokedAt === null || t.revokedAt === undefined);
  const [only, ...more] = live;
  if (only !== undefined && more.length === 0) return { id: only.id, name: only.name };
  if (only !== undefined) {
    throw usageError(
      `${live.length} tokens are named "${nameOrId}"; pass the id of the one to revoke: ${live.map((t) => t.id).join(", ")}.`,
    );
  }
  if (containsTokenLike(nameOrId)) {
    // A pasted token: never printed back.
    throw usageError(
      "That is an API token, not a token's name or id; `hush tokens list` shows the names and ids.",
    );
  }
  throw new CliError(
    ExitCode.NOT_FOUND,
    "NOT_FOUND",
    named.length > 0
      ? `The token "${nameOrId}" is revoked already.`
      : `No token is named "${nameOrId}"; \`hush tokens list\` shows the names and ids there are.`,
  );
}
