import {
  type AuditAction,
  AuditEventsDocument,
  type AuditEventsQuery,
} from "@hush/graphql/documents";
import type { Session } from "./session.js";

export type AuditEvent = AuditEventsQuery["auditEvents"][number];

/** Every audit action, in the order the console offers them. */
export const AUDIT_ACTIONS = [
  "SET_SECRET",
  "DELETE_SECRET",
  "ROLLBACK_SECRET",
  "READ_SECRET_VALUE",
  "CREATE_API_TOKEN",
  "REVOKE_API_TOKEN",
] as const satisfies readonly AuditAction[];

export interface AuditQuery {
  /** The offset in the server's newest-first list where this page starts. */
  start: number;
  /** Only events about this secret (the server filters). */
  name: string;
  /** Only events of this action; the API has no such filter, so the console reads on until a page is full. */
  action: AuditAction | null;
  pageSize: number;
}

/** How many events one request reads while looking for events of one action. */
const BATCH = 200;
/** How many events one page may read while looking for events of one action. */
const SCAN_LIMIT = 2_000;

/**
 * One page of audit events, newest first, and the offset where the next page starts (null at the
 * end). With an action, the server's list is read in batches until the page is full, the list
 * ends or {@link SCAN_LIMIT} events were read (then `next` resumes the scan).
 */
export async function auditPage(
  session: Session,
  query: AuditQuery,
): Promise<{ events: AuditEvent[]; next: number | null }> {
  const name = query.name === "" ? null : query.name;
  if (query.action === null) {
    const { auditEvents } = await session.call(AuditEventsDocument, {
      limit: query.pageSize + 1,
      offset: query.start,
      name,
    });
    const more = auditEvents.length > query.pageSize;
    return {
      events: auditEvents.slice(0, query.pageSize),
      next: more ? query.start + query.pageSize : null,
    };
  }
  const events: AuditEvent[] = [];
  for (let cursor = query.start; cursor < query.start + SCAN_LIMIT; cursor += BATCH) {
    const { auditEvents } = await session.call(AuditEventsDocument, {
      limit: BATCH,
      offset: cursor,
      name,
    });
    for (const [index, event] of auditEvents.entries()) {
      if (event.action !== query.action) continue;
      if (events.length === query.pageSize) return { events, next: cursor + index };
      events.push(event);
    }
    if (auditEvents.length < BATCH) return { events, next: null };
  }
  return { events, next: query.start + SCAN_LIMIT };
}
