// The boundary between the server's transport (HTTP + GraphQL) and its domain (auth, secrets,
// encryption, storage). Resolvers only translate GraphQL arguments into these calls; every rule —
// roles, tenant scoping, name and value limits, versions, audit — is enforced behind it.
import type { Role, SecretChangeAction, WebhookDeliveryStatus } from "@hush/schema/types";
import type { ApiMethod } from "./api-methods.js";
import type { DomainService } from "./domain-service.js";

export type { Role };

/** The authenticated caller of one request: a token, its tenant and its role. */
export interface Caller {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly tokenId: string;
  readonly tokenName: string;
  readonly role: Role;
  /** The environment names the token may use; null or undefined: every environment. */
  readonly environments?: readonly string[] | null | undefined;
}

/** A caller acting in one environment of its tenant: resolved, and allowed by the token. */
export interface EnvCaller extends Caller {
  readonly environmentId: string;
  readonly environmentName: string;
}

/** One environment of a tenant, as the API shows it. */
export interface EnvironmentMeta {
  name: string;
  isDefault: boolean;
  created: Date;
  secretCount: number;
}

/** How one secret compares between two environments. */
export type SecretDifference = "SAME" | "DIFFERENT" | "MISSING_FROM" | "MISSING_TO";

export interface EnvironmentComparison {
  from: string;
  to: string;
  equal: boolean;
  secrets: Array<{ name: string; status: SecretDifference }>;
}

export interface SecretMeta {
  name: string;
  version: number;
  created: Date;
  updated: Date;
  updatedBy: string;
}

export interface SecretVersionMeta {
  version: number;
  created: Date;
  createdBy: string;
  hasValue: boolean;
  deleted: boolean;
}

export interface ApiTokenMeta {
  id: string;
  name: string;
  role: Role;
  created: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  /** The environments the token may use; null for every one. */
  environments: string[] | null;
}

/** A claim an identity token must carry: its value exactly, or matching a glob (`*`). */
export interface IdentityClaim {
  name: string;
  value: string;
}

/** An identity trust as the API shows it. */
export interface IdentityTrustMeta {
  id: string;
  issuer: string;
  audience: string;
  /** The subject exactly, or a glob where `*` stands for any run of characters. */
  subject: string;
  claims: IdentityClaim[];
  /** The role of the tokens issued; never TENANT_ADMIN. */
  role: Role;
  /** The environments issued tokens may use; null for every one. */
  environments: string[] | null;
  ttlSeconds: number;
  created: Date;
  createdBy: string;
}

/** What `createIdentityTrust` takes; omitted fields get their defaults. */
export interface IdentityTrustInput {
  issuer: string;
  audience: string;
  subject: string;
  claims?: readonly IdentityClaim[] | null;
  /** RUNNER when omitted. */
  role?: Role | null;
  environments?: readonly string[] | null;
  /** 900 (15 minutes) when omitted. */
  ttlSeconds?: number | null;
}

/** The API token an identity token was exchanged for. */
export interface ExchangedToken {
  token: string;
  expiresAt: Date;
  role: Role;
  environments: string[] | null;
  tenant: string;
}

export type AuditAction =
  | "SET_SECRET"
  | "DELETE_SECRET"
  | "ROLLBACK_SECRET"
  | "READ_SECRET_VALUE"
  | "CREATE_API_TOKEN"
  | "REVOKE_API_TOKEN"
  | "COPY_SECRETS"
  | "CREATE_ENVIRONMENT"
  | "DELETE_ENVIRONMENT"
  | "SET_DEFAULT_ENVIRONMENT"
  | "CREATE_IDENTITY_TRUST"
  | "DELETE_IDENTITY_TRUST"
  | "EXCHANGE_IDENTITY_TOKEN"
  | "CREATE_WEBHOOK"
  | "DELETE_WEBHOOK"
  | "ENABLE_WEBHOOK";

export interface AuditEventRecord {
  id: string;
  action: AuditAction;
  secretName: string | null;
  version: number | null;
  outcome: "SUCCESS" | "DENIED" | "NOT_FOUND";
  /** The name the actor's token had then, or `hush-server` for the server's own commands. */
  actor: string;
  /** The id of the actor's token; null for the `hush-server` command. */
  actorTokenId: string | null;
  /** When it happened; the first time when it counts several. */
  at: Date;
  /** How many attempts it stands for: repeats by the same token within a minute count here. */
  count: number;
  /** When the last of them happened (`at` when `count` is 1). */
  lastAt: Date;
  /** For a call over several secrets: its first names (at most 20)… */
  secretNames: string[] | null;
  /** …and how many it named. */
  secretNameCount: number | null;
  /** Counts a token's refusals and misses past its limit per minute; their names are not kept. */
  suppressed: boolean;
  /** The token a token event (create, revoke) is about: its id, and its name when it exists. */
  tokenId: string | null;
  tokenName: string | null;
  /**
   * The environment's name, also after it was deleted; for a refused name the tenant does not
   * have, that name; null for events about none.
   */
  environment: string | null;
  /** For COPY_SECRETS: the environment copied to. */
  copiedTo: string | null;
  /** For the identity trust events: the trust's id. */
  trustId: string | null;
  /** For EXCHANGE_IDENTITY_TOKEN: the identity token's subject (`sub`), never the token. */
  subject: string | null;
  /** For the webhook events: the webhook's id. */
  webhookId: string | null;
}

/** What a change to a tenant's secrets or environments was. */
export type { SecretChangeAction, WebhookDeliveryStatus } from "@hush/schema/types";

/** One committed change as the API shows it; never a value. */
export interface SecretChangeRecord {
  /** Its id: grows in commit order within the tenant; the cursor to follow on from it. */
  id: string;
  /** The tenant's name. */
  tenant: string;
  environment: string;
  /** The secret; null for environment changes and COPY. */
  name: string | null;
  action: SecretChangeAction;
  version: number | null;
  at: Date;
  /** The name of the token used, or `hush-server`. */
  actor: string;
}

/** A page of changes, oldest first, and the cursor to follow on from. */
export interface SecretChangesPage {
  changes: SecretChangeRecord[];
  cursor: string;
}

/** A webhook as the API shows it; never its signing secret. */
export interface WebhookMeta {
  id: string;
  url: string;
  environment: string | null;
  events: SecretChangeAction[] | null;
  created: Date;
  createdBy: string;
  disabledAt: Date | null;
  lastOutcome: string | null;
}

/** A webhook just created, with its signing secret (shown this once). */
export interface CreatedWebhook {
  webhook: WebhookMeta;
  signingSecret: string;
}

/** One change sent, or to be sent, to one webhook. */
export interface WebhookDeliveryRecord {
  /** The `X-Hush-Delivery` header: the same on every try. */
  id: string;
  change: SecretChangeRecord;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date | null;
  lastOutcome: string | null;
}

/** A page of audit events, newest first: `limit` and `offset` checked by the service. */
export interface AuditEventsQuery {
  limit: number;
  offset: number;
  /** Only events about this secret. */
  name?: string | null;
  /** Only events of this action. */
  action?: AuditAction | null;
  /** Only events in this environment (by name). */
  environment?: string | null;
}

/** Hasura-style listing, already validated by the transport's types. */
export interface ListSecretsQuery {
  where?: { name?: { _eq?: string | null; _like?: string | null; _in?: readonly string[] | null } };
  /** Applied in order; `[{ name: "asc" }]` when empty. */
  orderBy: ReadonlyArray<{ field: "name" | "created" | "updated"; direction: "asc" | "desc" }>;
  limit?: number;
  offset?: number;
}

/** Options of `setSecrets`. */
export interface SetSecretsOptions {
  /** Write no version for a value equal to the current one (callers who may read values only). */
  readonly skipUnchanged?: boolean | null | undefined;
}

/** One entry `setSecrets` wrote, or left as it was (`unchanged`, at its current version). */
export interface SecretWritten {
  name: string;
  version: number;
  unchanged: boolean;
}

/**
 * Every operation the API offers: the public methods of `DomainService`, where each is declared
 * and documented once, but the admin operations (`AdminOperations`) and `toJSON`. Methods throw
 * `ServiceError` (see `errors.ts`) for anything a caller did wrong; any other error is
 * unexpected and is masked by the transport.
 */
export type SecretsService = Pick<DomainService, ApiMethod>;
