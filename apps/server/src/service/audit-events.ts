import type { AuditEventRecord, AuditEventsQuery, Caller } from "./contract.js";
import { validatePage } from "./limits.js";
import { forbidden, isAllowed } from "./roles.js";
import type { ServiceContext } from "./service-context.js";
import { validateSecretName } from "./validation.js";

/** A page of the caller's tenant's audit events, newest first; for tenant admins. */
export async function listAuditEvents(
  context: ServiceContext,
  caller: Caller,
  query: AuditEventsQuery,
): Promise<AuditEventRecord[]> {
  if (!isAllowed(caller, "readAudit")) throw forbidden(caller, "readAudit");
  const { limit, offset } = query;
  validatePage(limit, offset);
  let q = context.db
    .selectFrom("audit_events")
    .select(["id", "action", "secret_name", "version", "outcome", "actor", "actor_token_id", "at"])
    .where("tenant_id", "=", caller.tenantId);
  if (query.name != null) q = q.where("secret_name", "=", validateSecretName(query.name));
  if (query.action != null) q = q.where("action", "=", query.action);
  const rows = await q
    .orderBy("at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    action: r.action as AuditEventRecord["action"],
    secretName: r.secret_name,
    version: r.version,
    outcome: r.outcome as AuditEventRecord["outcome"],
    actor: r.actor,
    actorTokenId: r.actor_token_id,
    at: new Date(r.at),
  }));
}
