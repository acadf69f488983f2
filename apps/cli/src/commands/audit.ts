import type { AuditAction } from "@hush/graphql";
import { describeAuditSubject } from "@hush/schema/audit-actions";
import { LIMITS } from "@hush/schema/limits";
import { usageError } from "../cli-error.js";
import type { CommandContext } from "../command-context.js";
import { table } from "../output.js";
import { printJsonOr } from "./print.js";

export interface AuditInput {
  name?: string | undefined;
  action?: AuditAction | undefined;
  /** As typed: a whole number from 1 to `LIMITS.maxPageSize`. */
  limit: string;
  /** As typed: a whole number, 0 or more. */
  offset: string;
  json?: boolean | undefined;
}

/** `hush audit`: the tenant's audit events, newest first, a page at a time. */
export async function audit(input: AuditInput, context: CommandContext): Promise<void> {
  const limit = Number(input.limit);
  if (!/^[1-9][0-9]*$/.test(input.limit) || limit > LIMITS.maxPageSize) {
    throw usageError(
      `--limit must be a whole number from 1 to ${LIMITS.maxPageSize}; see older events with --offset.`,
    );
  }
  if (!/^[0-9]+$/.test(input.offset) || !Number.isSafeInteger(Number(input.offset)))
    throw usageError("--offset must be a whole number, 0 or more.");
  const events = await context.client().auditEvents({
    limit,
    offset: Number(input.offset),
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.action === undefined ? {} : { action: input.action }),
    // A filter, named by --env only: without it, every environment's events.
    environment: context.options.env === undefined ? null : context.environment,
  });
  printJsonOr(context, input, events, () =>
    table(
      [
        "AT",
        "ACTION",
        "ENVIRONMENT",
        "SUBJECT",
        "VERSION",
        "OUTCOME",
        "ACTOR",
        "ACTOR ID",
        "COUNT",
      ],
      events.map((e) => [
        String(e.at),
        e.action,
        e.environment ?? "",
        describeAuditSubject(e),
        e.version?.toString() ?? "",
        e.outcome,
        e.actor ?? "",
        e.actorTokenId ?? "",
        String(e.count),
      ]),
    ),
  );
}
