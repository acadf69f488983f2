import { endpointKey } from "@hush/config";
import { isHushError } from "@hush/errors";
import type { AuditAction } from "@hush/graphql";
import { AUDIT_ACTIONS, describeAuditSubject } from "@hush/schema/audit-actions";
import { escapeForDisplay } from "@hush/schema/display-text";
import { LIMITS } from "@hush/schema/limits";
import { isRoleName, ROLE_NAMES, ROLES } from "@hush/schema/roles";
import { containsTokenLike } from "@hush/schema/token-shape";
import { type Command, Option } from "commander";
import { CliError, usageError } from "../cli-error.js";
import { ExitCode } from "../exit-codes.js";
import { createClient } from "../lazy-client.js";
import { table } from "../output.js";
import { canPrompt, promptHidden, readStdin } from "../prompts.js";
import type { Session } from "../session.js";
import { displayEndpoint } from "../token-messages.js";
import { example, type SessionFor } from "./shared.js";

const ROLES_HELP = `\nRoles:\n${ROLE_NAMES.map((role) => `  ${role.padEnd(16)}${ROLES[role].description}`).join("\n")}\n`;

export function registerAccount(program: Command, session: SessionFor): void {
  program
    .command("login")
    .description(
      "Check an API token with the server and save it for that endpoint in ~/.hush/auth.toml (mode 0600).",
    )
    .option(
      "--token <token>",
      "the token (else a hidden prompt, or stdin; it stays in shell history)",
    )
    .addHelpText(
      "after",
      "\nThe config's [cloud] api_key and HUSH__CLOUD__API_KEY still win when set.\n" +
        example(
          "hush login",
          "hush login --endpoint https://hush.example.com",
          "hush login < token.txt",
        ),
    )
    .action(async (flags: { token?: string }, command: Command) => {
      const s = session(command);
      const endpoint = s.options.endpoint ?? s.config.cloud.endpoint;
      let token = flags.token;
      if (token === undefined) {
        token = canPrompt() ? await promptHidden(`API token for ${endpoint}`) : await readStdin();
      }
      token = token.trim();
      if (token === "")
        throw usageError("No token given. Pass --token, type it at the prompt, or pipe it in.");
      const me = await checkToken(endpoint, token);
      // Like `gh auth login`: when the config names no server, the last one logged in to is the
      // one every command (and Secret.get()) uses.
      const origin = s.loaded.origins.get("cloud.endpoint")?.kind;
      const asDefault = origin === "default" || origin === "login";
      const wasDefault = s.auth.defaultEndpoint();
      s.auth.set(endpoint, { api_key: token }, asDefault);
      s.out.info(
        `Logged in to ${endpoint} as "${escapeForDisplay(me.tokenName)}" (${me.role}) in tenant "${escapeForDisplay(me.tenant.name)}". Saved in ${s.auth.path}.`,
      );
      if (
        asDefault &&
        (wasDefault === undefined || endpointKey(wasDefault) !== endpointKey(endpoint))
      ) {
        s.out.info(`hush now uses ${endpoint} when the config names no server.`);
      }
      const credentials = s.credentials();
      if (credentials.source !== s.auth.path && credentials.endpoint === endpoint) {
        s.out.warn(`${credentials.source} is set and is used instead of the saved token.`);
      }
    });

  program
    .command("logout")
    .description(
      "Forget the token saved for the endpoint (and the endpoint as the default server, if it was).",
    )
    .addHelpText("after", example("hush logout", "hush logout --endpoint https://hush.example.com"))
    .action((_flags: object, command: Command) => {
      const s = session(command);
      const endpoint = s.options.endpoint ?? s.config.cloud.endpoint;
      if (s.auth.delete(endpoint)) s.out.info(`Logged out of ${endpoint}.`);
      else s.out.info(`No saved token for ${endpoint}.`);
    });

  program
    .command("whoami")
    .description("Show the endpoint, tenant, role and token name in use.")
    .option("--json", "print JSON")
    .addHelpText("after", example("hush whoami"))
    .action(async (flags: { json?: boolean }, command: Command) => {
      const s = session(command);
      const { endpoint, source } = s.credentials();
      const me = await s.client().me();
      const who = {
        endpoint,
        tenant: me.tenant.name,
        role: me.role,
        tokenName: me.tokenName,
        tokenFrom: source ?? null,
      };
      if (flags.json) s.out.json(who);
      else
        s.out.data(
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
    });

  const tokens = program
    .command("tokens")
    .description("Create, list and revoke API tokens (tenant admins).");
  tokens
    .command("create")
    .description("Create an API token; it is printed once, on stdout.")
    .argument("<name>", "a name for the token")
    .requiredOption("--role <role>", `one of ${ROLE_NAMES.join(", ")}`)
    .option("--expires-at <date>", "an ISO date-time after which it stops working")
    .option("--json", "print JSON")
    .addHelpText("after", ROLES_HELP + example("hush tokens create ci --role RUNNER"))
    .action(
      async (
        name: string,
        flags: { role: string; expiresAt?: string; json?: boolean },
        command: Command,
      ) => {
        const s = session(command);
        const role = flags.role.toUpperCase();
        if (!isRoleName(role)) throw usageError(`--role must be one of ${ROLE_NAMES.join(", ")}.`);
        const created = await s.client().createApiToken({
          name,
          role,
          expiresAt: flags.expiresAt ?? null,
        });
        if (flags.json) s.out.json({ ...created.apiToken, token: created.token });
        else {
          s.out.data(created.token);
          s.out.info(
            `Created token "${name}" (${role}, id ${created.id}). It is shown only this once.`,
          );
        }
      },
    );
  tokens
    .command("list")
    .description("List the tenant's API tokens (never the tokens themselves).")
    .option("--json", "print JSON")
    .addHelpText("after", example("hush tokens list"))
    .action(async (flags: { json?: boolean }, command: Command) => {
      const s = session(command);
      const list = await s.client().apiTokens();
      if (flags.json) s.out.json(list);
      else
        s.out.data(
          table(
            ["ID", "NAME", "ROLE", "CREATED", "EXPIRES", "REVOKED"],
            list.map((t) => [
              t.id,
              t.name,
              t.role,
              String(t.created),
              String(t.expiresAt ?? ""),
              String(t.revokedAt ?? ""),
            ]),
          ),
        );
    });
  tokens
    .command("revoke")
    .description("Revoke an API token at once.")
    .argument("<token>", "the token's name or id (see `hush tokens list`)")
    .addHelpText("after", example("hush tokens revoke ci-job", "hush tokens revoke <id>"))
    .action(async (nameOrId: string, _flags: object, command: Command) => {
      const s = session(command);
      const { id, name } = await findToken(s, nameOrId);
      await s.client().revokeApiToken(id);
      s.out.info(`Revoked token ${name === undefined ? id : `"${name}" (id ${id})`}.`);
    });

  program
    .command("audit")
    .description("Show the tenant's audit events, newest first (tenant admins).")
    .option("--name <name>", "only events of this secret")
    .addOption(new Option("--action <action>", "only events of this action").choices(AUDIT_ACTIONS))
    .option("--limit <n>", `at most this many events (up to ${LIMITS.maxPageSize})`, "50")
    .option("--offset <n>", "skip this many of the newest events first (for older ones)", "0")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      example(
        "hush audit",
        "hush audit --name DB_URL --action READ_SECRET_VALUE --limit 10",
        `hush audit --limit ${LIMITS.maxPageSize} --offset ${LIMITS.maxPageSize}   # the next ${LIMITS.maxPageSize}`,
      ),
    )
    .action(async (flags: AuditFlags, command: Command) => {
      const s = session(command);
      const limit = Number(flags.limit);
      if (!/^[1-9][0-9]*$/.test(flags.limit) || limit > LIMITS.maxPageSize) {
        throw usageError(
          `--limit must be a whole number from 1 to ${LIMITS.maxPageSize}; see older events with --offset.`,
        );
      }
      if (!/^[0-9]+$/.test(flags.offset) || !Number.isSafeInteger(Number(flags.offset)))
        throw usageError("--offset must be a whole number, 0 or more.");
      const events = await s.client().auditEvents({
        limit,
        offset: Number(flags.offset),
        ...(flags.name === undefined ? {} : { name: flags.name }),
        ...(flags.action === undefined ? {} : { action: flags.action }),
      });
      if (flags.json) s.out.json(events);
      else
        s.out.data(
          table(
            ["AT", "ACTION", "SUBJECT", "VERSION", "OUTCOME", "ACTOR", "ACTOR ID", "COUNT"],
            events.map((e) => [
              String(e.at),
              e.action,
              describeAuditSubject(e),
              e.version?.toString() ?? "",
              e.outcome,
              e.actor ?? "",
              e.actorTokenId ?? "",
              String(e.count),
            ]),
          ),
        );
    });
}

/** A token id as the server gives them (a UUID): used as it is, without listing the tokens. */
const TOKEN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The token `hush tokens revoke` means: an id as it is; else the one unrevoked token of that
 * name. A name that several tokens share is refused (exit 2) with their ids.
 */
async function findToken(s: Session, nameOrId: string): Promise<{ id: string; name?: string }> {
  if (TOKEN_ID.test(nameOrId)) return { id: nameOrId };
  const named = (await s.client().apiTokens()).filter((t) => t.name === nameOrId);
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

/** Asks the server who `token` is; a refused token is said in login's own words. */
async function checkToken(endpoint: string, token: string) {
  try {
    return await createClient({ endpoint, apiKey: token }).me();
  } catch (error) {
    if (!(isHushError(error) && error.code === "UNAUTHENTICATED")) throw error;
    throw new CliError(
      ExitCode.AUTH,
      "UNAUTHENTICATED",
      `The hush server at ${displayEndpoint(endpoint)} did not accept this token: it is unknown, revoked or expired. Nothing was saved; check the token, or ask a tenant admin for a new one (\`hush tokens create\`).`,
      { cause: error },
    );
  }
}

interface AuditFlags {
  name?: string;
  action?: AuditAction;
  limit: string;
  offset: string;
  json?: boolean;
}
