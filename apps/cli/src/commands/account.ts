import type { AuditAction } from "@hush/graphql";
import { AUDIT_ACTIONS, describeAuditSecrets } from "@hush/schema/audit-actions";
import { type Command, Option } from "commander";
import { usageError } from "../cli-error.js";
import { createClient } from "../lazy-client.js";
import { table } from "../output.js";
import { canPrompt, promptHidden, readStdin } from "../prompts.js";
import { example, type SessionFor } from "./shared.js";

const ROLES = ["TENANT_ADMIN", "USER", "RUNNER", "READ_ONLY_USER"] as const;

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
      const me = await createClient({ endpoint, apiKey: token }).me();
      s.auth.set(endpoint, { api_key: token });
      s.out.info(
        `Logged in to ${endpoint} as "${me.tokenName}" (${me.role}) in tenant "${me.tenant.name}". Saved in ${s.auth.path}.`,
      );
      const credentials = s.credentials();
      if (credentials.source !== s.auth.path && credentials.endpoint === endpoint) {
        s.out.warn(`${credentials.source} is set and is used instead of the saved token.`);
      }
    });

  program
    .command("logout")
    .description("Forget the token saved for the endpoint.")
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
    .requiredOption("--role <role>", `one of ${ROLES.join(", ")}`)
    .option("--expires-at <date>", "an ISO date-time after which it stops working")
    .option("--json", "print JSON")
    .addHelpText("after", example("hush tokens create ci --role RUNNER"))
    .action(
      async (
        name: string,
        flags: { role: string; expiresAt?: string; json?: boolean },
        command: Command,
      ) => {
        const s = session(command);
        const role = flags.role.toUpperCase();
        if (!(ROLES as readonly string[]).includes(role)) {
          throw usageError(`--role must be one of ${ROLES.join(", ")}.`);
        }
        const created = await s.client().createApiToken({
          name,
          role: role as (typeof ROLES)[number],
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
    .argument("<id>", "the token's id (see `hush tokens list`)")
    .addHelpText("after", example("hush tokens revoke 3"))
    .action(async (id: string, _flags: object, command: Command) => {
      const s = session(command);
      await s.client().revokeApiToken(id);
      s.out.info(`Revoked token ${id}.`);
    });

  program
    .command("audit")
    .description("Show the tenant's audit events, newest first (tenant admins).")
    .option("--name <name>", "only events of this secret")
    .addOption(new Option("--action <action>", "only events of this action").choices(AUDIT_ACTIONS))
    .option("--limit <n>", "at most this many events", "50")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      example("hush audit", "hush audit --name DB_URL --action READ_SECRET_VALUE --limit 10"),
    )
    .action(async (flags: AuditFlags, command: Command) => {
      const s = session(command);
      if (!/^[1-9][0-9]*$/.test(flags.limit))
        throw usageError("--limit must be a whole number from 1.");
      const events = await s.client().auditEvents({
        limit: Number(flags.limit),
        ...(flags.name === undefined ? {} : { name: flags.name }),
        ...(flags.action === undefined ? {} : { action: flags.action }),
      });
      if (flags.json) s.out.json(events);
      else
        s.out.data(
          table(
            ["AT", "ACTION", "SECRET", "VERSION", "OUTCOME", "ACTOR", "COUNT"],
            events.map((e) => [
              String(e.at),
              e.action,
              describeAuditSecrets(e),
              e.version?.toString() ?? "",
              e.outcome,
              e.actor ?? "",
              String(e.count),
            ]),
          ),
        );
    });
}

interface AuditFlags {
  name?: string;
  action?: AuditAction;
  limit: string;
  json?: boolean;
}
