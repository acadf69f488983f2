/**
 * Every audit action, the values of the schema's `AuditAction` enum, in the order people are
 * shown them (the console's and `hush audit --action`'s choices). A test keeps it equal to the
 * enum in `schema.graphql`.
 */
export const AUDIT_ACTIONS = [
  "SET_SECRET",
  "DELETE_SECRET",
  "ROLLBACK_SECRET",
  "READ_SECRET_VALUE",
  "CREATE_API_TOKEN",
  "REVOKE_API_TOKEN",
  "COPY_SECRETS",
  "CREATE_ENVIRONMENT",
  "DELETE_ENVIRONMENT",
  "SET_DEFAULT_ENVIRONMENT",
  "CREATE_IDENTITY_TRUST",
  "DELETE_IDENTITY_TRUST",
  "EXCHANGE_IDENTITY_TOKEN",
  "CREATE_WEBHOOK",
  "DELETE_WEBHOOK",
  "ENABLE_WEBHOOK",
] as const;

export type AuditActionName = (typeof AUDIT_ACTIONS)[number];

/**
 * What an audit event is about, in one line for people: its secret; or the first names of a
 * call over several secrets and how many more; or, for refusals past a token's limit per
 * minute, that their names were not kept; or the token a token event created or revoked, by
 * name and id; or the identity trust or webhook an event was about, by id, and for an exchange
 * the workload's subject and the token it got. Empty for an event about none of these.
 *
 * @example describeAuditSubject({ secretNames: ["A", "B"], secretNameCount: 1000 }) // "A, B and 998 more"
 * @example describeAuditSubject({ tokenId: "8f…", tokenName: "ci-job" }) // 'token "ci-job" (8f…)'
 * @example describeAuditSubject({ trustId: "3c…", subject: "repo:acme/app:ref:refs/heads/main", tokenId: "8f…", tokenName: "gha-1" })
 * // 'subject "repo:acme/app:ref:refs/heads/main" by trust 3c…: token "gha-1" (8f…)'
 */
export function describeAuditSubject(event: {
  secretName?: string | null;
  secretNames?: readonly string[] | null;
  secretNameCount?: number | null;
  suppressed?: boolean | null;
  tokenId?: string | null;
  tokenName?: string | null;
  trustId?: string | null;
  subject?: string | null;
  webhookId?: string | null;
}): string {
  if (event.secretName != null) return event.secretName;
  if (event.secretNames != null) {
    const more = (event.secretNameCount ?? event.secretNames.length) - event.secretNames.length;
    return `${event.secretNames.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
  }
  const token = event.tokenId == null ? null : tokenText(event.tokenId, event.tokenName);
  if (event.trustId != null) {
    // An exchange names the workload and the token it got; the trust events the trust alone.
    const trust = `trust ${event.trustId}`;
    const who = event.subject == null ? trust : `subject "${event.subject}" by ${trust}`;
    return token === null ? who : `${who}: ${token}`;
  }
  if (event.webhookId != null) return `webhook ${event.webhookId}`;
  if (token !== null) return token;
  return event.suppressed ? "(names not kept)" : "";
}

function tokenText(id: string, name: string | null | undefined): string {
  return name == null ? `token ${id}` : `token "${name}" (${id})`;
}

/**
 * Each audit action as people read it (the console shows these, with the name above in a
 * tooltip and as the filter's value).
 */
export const AUDIT_ACTION_LABELS: Readonly<Record<AuditActionName, string>> = {
  SET_SECRET: "Set value",
  DELETE_SECRET: "Delete secret",
  ROLLBACK_SECRET: "Roll back",
  READ_SECRET_VALUE: "Read value",
  CREATE_API_TOKEN: "Create token",
  REVOKE_API_TOKEN: "Revoke token",
  COPY_SECRETS: "Copy to environment",
  CREATE_ENVIRONMENT: "Create environment",
  DELETE_ENVIRONMENT: "Delete environment",
  SET_DEFAULT_ENVIRONMENT: "Set default environment",
  CREATE_IDENTITY_TRUST: "Create identity trust",
  DELETE_IDENTITY_TRUST: "Delete identity trust",
  EXCHANGE_IDENTITY_TOKEN: "Exchange identity token",
  CREATE_WEBHOOK: "Create webhook",
  DELETE_WEBHOOK: "Delete webhook",
  ENABLE_WEBHOOK: "Enable webhook",
};
