import { sql } from "kysely";
import type { AuditEventRecord, AuditEventsQuery, Caller } from "../contract.js";
import { validatePage } from "../limits.js";
import { forbidden, isAllowed } from "../roles.js";
import type { ServiceContext } from "../service-context.js";
import { validateSecretName } from "../validation.js";

/** `name` as a LIKE pattern matching it as one entry of a JSON list of names. */
function listedName(name: string): string {
  return `%${JSON.stringify(name).replace(/[\\%_]/g, "\\$&")}%`;
}

/** A page of the caller's tenant's audit events, newest first; for tenant admins. */
export async function listAuditEvents(
  context: ServiceContext,
  caller: Caller,
  query: AuditEventsQuery,
  /**
   * Only events in these environments (ids, resolved and allowed by the caller of this
   * function), and with `withNone` those about no environment; every event when `ids` is absent.
   */
  environments: { ids?: readonly string[] | undefined; withNone?: boolean } = {},
): Promise<AuditEventRecord[]> {
  if (!isAllowed(caller, "readAudit")) throw forbidden(caller, "readAudit");
  const { limit, offset } = query;
  validatePage(limit, offset);
  const events = () => {
    let q = context.db
      .selectFrom("audit_events")
      .select([
        "id",
        "action",
        "secret_name",
        "version",
        "outcome",
        "actor",
        "actor_token_id",
        "at",
        "count",
        "last_at",
        "secret_names",
        "secret_name_count",
        "suppressed",
        "target",
        "environment_name",
        "trust_id",
        "subject",
        "webhook_id",
        // The token a CREATE_API_TOKEN or REVOKE_API_TOKEN event is about, by its name now
        // (names are unique in a tenant; token rows are never deleted).
        (eb) =>
          eb
            .selectFrom("api_tokens as t")
            .select("t.name")
            .whereRef("t.tenant_id", "=", "audit_events.tenant_id")
            .whereRef("t.id", "=", "audit_events.target")
            .as("target_name"),
      ])
      .where("tenant_id", "=", caller.tenantId);
    if (query.action != null) q = q.where("action", "=", query.action);
    const { ids, withNone } = environments;
    if (ids !== undefined) {
      q = q.where((eb) => {
        const inScope =
          ids.length === 0 ? sql<boolean>`1 = 0` : eb("environment_id", "in", [...ids]);
        return withNone === true ? eb.or([inScope, eb("environment_id", "is", null)]) : inScope;
      });
    }
    return q;
  };
  let q = events();
  if (query.name != null) {
    const name = validateSecretName(query.name);
    // The events about that secret, and the calls over several secrets that listed it: two
    // queries, so that each uses the index on (tenant, secret name).
    q = q.where("secret_name", "=", name).unionAll(
      events()
        .where("secret_name", "is", null)
        .where(sql<boolean>`secret_names like ${listedName(name)} escape '\\'`),
    );
  }
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
    count: Number(r.count),
    lastAt: new Date(r.last_at ?? r.at),
    secretNames: r.secret_names === null ? null : (JSON.parse(r.secret_names) as string[]),
    secretNameCount: r.secret_name_count,
    suppressed: r.suppressed === 1,
    // `target` is what the event was about: a token, or where a copy went.
    ...(r.action === "COPY_SECRETS"
      ? { tokenId: null, tokenName: null, copiedTo: r.target }
      : { tokenId: r.target, tokenName: r.target_name ?? null, copiedTo: null }),
    environment: r.environment_name,
    trustId: r.trust_id,
    subject: r.subject,
    webhookId: r.webhook_id,
  }));
}
