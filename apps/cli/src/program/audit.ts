import { AUDIT_ACTIONS } from "@hush/schema/audit-actions";
import { LIMITS } from "@hush/schema/limits";
import { type Command, Option } from "commander";
import { type AuditInput, audit } from "../commands/audit.js";
import { type ContextFor, envOption, example } from "./declare.js";

export function declareAudit(program: Command, contextFor: ContextFor): void {
  program
    .command("audit")
    .description("Show the tenant's audit events, newest first (tenant admins).")
    .option("--name <name>", "only events of this secret")
    .addOption(new Option("--action <action>", "only events of this action").choices(AUDIT_ACTIONS))
    .addOption(envOption("only events in this server environment (default: every environment's)"))
    .option("--limit <n>", `at most this many events (up to ${LIMITS.maxPageSize})`, "50")
    .option("--offset <n>", "skip this many of the newest events first (for older ones)", "0")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      example(
        "hush audit",
        "hush audit --name DB_URL --action READ_SECRET_VALUE --limit 10",
        "hush audit --env production",
        `hush audit --limit ${LIMITS.maxPageSize} --offset ${LIMITS.maxPageSize}   # the next ${LIMITS.maxPageSize}`,
      ),
    )
    .action((flags: AuditInput, command: Command) => audit(flags, contextFor(command)));
}
