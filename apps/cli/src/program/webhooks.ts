import { SECRET_CHANGE_ACTIONS } from "@hush/schema/change-actions";
import { LIMITS } from "@hush/schema/limits";
import type { Command } from "commander";
import {
  type WebhooksCreateInput,
  type WebhooksDeliveriesInput,
  webhooksCreate,
  webhooksDelete,
  webhooksDeliveries,
  webhooksEnable,
  webhooksList,
} from "../commands/webhooks.js";
import { type ContextFor, example } from "./declare.js";

export function declareWebhooks(program: Command, contextFor: ContextFor): void {
  const webhooks = program
    .command("webhooks")
    .description("Create, list, delete and enable webhooks, sent each change (tenant admins).");
  webhooks
    .command("create")
    .description(
      "Register a webhook; its signing secret is printed once, on stdout. Deliveries are POSTed, signed with X-Hush-Signature.",
    )
    .argument("<url>", "the endpoint: https://, or http:// on a loopback address")
    .option("-e, --env <name>", "only changes in this environment (default: every environment)")
    .option(
      "--events <actions>",
      `only these actions, comma-separated, from ${SECRET_CHANGE_ACTIONS.join(", ")} (default: all)`,
    )
    .option("--json", "print JSON, the signing secret included")
    .addHelpText(
      "after",
      example(
        "hush webhooks create https://hooks.example.com/hush",
        "hush webhooks create https://ci.example.com/redeploy --env production --events SET,DELETE,ROLLBACK",
      ),
    )
    .action((url: string, flags: Omit<WebhooksCreateInput, "url">, command: Command) =>
      webhooksCreate({ ...flags, url }, contextFor(command)),
    );
  webhooks
    .command("list")
    .description(
      "List the tenant's webhooks, whether each is enabled and how its last delivery went.",
    )
    .option("--json", "print JSON")
    .addHelpText("after", example("hush webhooks list"))
    .action((flags: { json?: boolean }, command: Command) =>
      webhooksList(flags, contextFor(command)),
    );
  webhooks
    .command("delete")
    .description("Delete a webhook; its pending deliveries are dropped.")
    .argument("<id>", "the webhook's id (see `hush webhooks list`)")
    .addHelpText("after", example("hush webhooks delete <id>"))
    .action((id: string, _flags: object, command: Command) =>
      webhooksDelete({ id }, contextFor(command)),
    );
  webhooks
    .command("enable")
    .description("Enable a webhook that was disabled after failing for a day.")
    .argument("<id>", "the webhook's id (see `hush webhooks list`)")
    .addHelpText("after", example("hush webhooks enable <id>"))
    .action((id: string, _flags: object, command: Command) =>
      webhooksEnable({ id }, contextFor(command)),
    );
  webhooks
    .command("deliveries")
    .description("Show a webhook's deliveries, newest first: status, attempts, outcome, change.")
    .argument("<id>", "the webhook's id (see `hush webhooks list`)")
    .option("--limit <n>", `at most this many (up to ${LIMITS.maxPageSize})`, "50")
    .option("--json", "print JSON")
    .addHelpText("after", example("hush webhooks deliveries <id> --limit 10"))
    .action((id: string, flags: Omit<WebhooksDeliveriesInput, "id">, command: Command) =>
      webhooksDeliveries({ ...flags, id }, contextFor(command)),
    );
}
