import {
  describeSecretChange,
  isSecretChangeAction,
  SECRET_CHANGE_ACTIONS,
  type SecretChangeActionName,
} from "@hush/schema/change-actions";
import { LIMITS } from "@hush/schema/limits";
import { usageError } from "../cli-error.js";
import type { CommandContext } from "../command-context.js";
import { table } from "../output.js";
import { printJsonOr } from "./print.js";

export interface WebhooksCreateInput {
  url: string;
  /** `--env E`: only changes in this environment; every environment's when absent. */
  env?: string | undefined;
  /** `--events SET,DELETE`: only these actions; every action when absent. */
  events?: string | undefined;
  json?: boolean | undefined;
}

/** The actions `--events SET,DELETE` names, upper-cased, each once; undefined without it. */
export function webhookEvents(events: string | undefined): SecretChangeActionName[] | undefined {
  if (events === undefined) return undefined;
  const names = [...new Set(events.split(",").map((name) => name.trim().toUpperCase()))];
  const wrong = names.filter((name) => !isSecretChangeAction(name));
  if (wrong.length > 0) {
    const named = wrong.filter((name) => name !== "").map((name) => `"${name}"`);
    throw usageError(
      `--events takes actions separated by commas, from ${SECRET_CHANGE_ACTIONS.join(", ")}${named.length > 0 ? ` (not ${named.join(", ")})` : ""}.`,
    );
  }
  return names as SecretChangeActionName[];
}

/** `hush webhooks create URL`: the new webhook; its signing secret printed once on stdout. */
export async function webhooksCreate(
  input: WebhooksCreateInput,
  context: CommandContext,
): Promise<void> {
  const events = webhookEvents(input.events);
  const environment = input.env?.trim();
  if (environment === "") throw usageError("--env takes one environment's name.");
  const { webhook, signingSecret } = await context.client().createWebhook({
    url: input.url,
    environment: environment ?? null,
    events: events ?? null,
  });
  if (input.json) {
    context.out.json({ ...webhook, signingSecret });
    return;
  }
  context.out.data(signingSecret);
  context.out.info(
    `Created webhook ${webhook.id} for ${webhook.url} (${environmentText(webhook.environment)}, ${eventsText(webhook.events)}). Above is its signing secret, the key of each delivery's X-Hush-Signature: it is shown only this once, store it now.`,
  );
}

/** `hush webhooks list`: the tenant's webhooks, never their signing secrets. */
export async function webhooksList(
  input: { json?: boolean | undefined },
  context: CommandContext,
): Promise<void> {
  const list = await context.client().webhooks();
  printJsonOr(context, input, list, () =>
    table(
      ["ID", "URL", "ENVIRONMENT", "EVENTS", "STATUS", "LAST OUTCOME", "CREATED"],
      list.map((w) => [
        w.id,
        w.url,
        w.environment ?? "all",
        w.events?.join(",") ?? "all",
        w.disabledAt == null ? "enabled" : `disabled since ${w.disabledAt}`,
        w.lastOutcome ?? "",
        String(w.created),
      ]),
    ),
  );
}

/** `hush webhooks delete ID`: deletes it; its pending deliveries are dropped. */
export async function webhooksDelete(
  input: { id: string },
  context: CommandContext,
): Promise<void> {
  await context.client().deleteWebhook({ id: input.id });
  context.out.info(`Deleted webhook ${input.id}; its pending deliveries are dropped.`);
}

/** `hush webhooks enable ID`: enables a webhook disabled after failing. */
export async function webhooksEnable(
  input: { id: string },
  context: CommandContext,
): Promise<void> {
  const webhook = await context.client().enableWebhook({ id: input.id });
  context.out.info(
    `Enabled webhook ${webhook.id} (${webhook.url}): deliveries resume with the next change.`,
  );
}

export interface WebhooksDeliveriesInput {
  id: string;
  /** As typed: a whole number from 1 to `LIMITS.maxPageSize`. */
  limit: string;
  json?: boolean | undefined;
}

/** `hush webhooks deliveries ID`: its deliveries, newest first. */
export async function webhooksDeliveries(
  input: WebhooksDeliveriesInput,
  context: CommandContext,
): Promise<void> {
  const limit = Number(input.limit);
  if (!/^[1-9][0-9]*$/.test(input.limit) || limit > LIMITS.maxPageSize) {
    throw usageError(`--limit must be a whole number from 1 to ${LIMITS.maxPageSize}.`);
  }
  const deliveries = await context.client().webhookDeliveries({ webhook: input.id, limit });
  printJsonOr(context, input, deliveries, () =>
    table(
      ["ID", "STATUS", "ATTEMPTS", "LAST ATTEMPT", "NEXT ATTEMPT", "OUTCOME", "CHANGE"],
      deliveries.map((d) => [
        d.id,
        d.status,
        String(d.attempts),
        String(d.lastAttemptAt ?? ""),
        String(d.nextAttemptAt ?? ""),
        d.lastOutcome ?? "",
        describeSecretChange(d.change),
      ]),
    ),
  );
}

function environmentText(environment: string | null | undefined): string {
  return environment == null ? "every environment" : `environment ${environment}`;
}

function eventsText(events: readonly string[] | null | undefined): string {
  return events == null ? "every action" : `actions ${events.join(", ")}`;
}
