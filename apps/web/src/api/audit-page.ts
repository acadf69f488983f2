import { AuditEventsDocument, type AuditEventsQuery } from "@hush/graphql/documents";
import type { AuditAction } from "@hush/schema/types";
import type { SignedIn } from "./signed-in.js";

export type AuditEvent = AuditEventsQuery["auditEvents"][number];

/** Every audit action, in the order the console offers them, and its readable label. */
export { AUDIT_ACTION_LABELS, AUDIT_ACTIONS } from "@hush/schema/audit-actions";

export interface AuditQuery {
  /** The offset in the server's newest-first list where this page starts. */
  start: number;
  /** Only events about this secret (the server filters). */
  name: string;
  /** Only events of this action (the server filters). */
  action: AuditAction | null;
  /** Only events in this environment (the server filters); null for every environment's. */
  environment: string | null;
  pageSize: number;
}

/** One page of audit events, newest first, and the offset where the next page starts (null at the end). */
export async function auditPage(
  session: SignedIn,
  query: AuditQuery,
): Promise<{ events: AuditEvent[]; next: number | null }> {
  const { auditEvents } = await session.call(AuditEventsDocument, {
    limit: query.pageSize + 1,
    offset: query.start,
    name: query.name === "" ? null : query.name,
    action: query.action,
    environment: query.environment,
  });
  const more = auditEvents.length > query.pageSize;
  return {
    events: auditEvents.slice(0, query.pageSize),
    next: more ? query.start + query.pageSize : null,
  };
}
