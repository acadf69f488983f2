// The boundary between the server's transport (HTTP + GraphQL) and its domain (auth, secrets,
// encryption, storage). Resolvers only translate GraphQL arguments into these calls; every rule —
// roles, tenant scoping, name and value limits, versions, audit — is enforced behind it.
import type { Role } from "@hush/schema/types";
import type { RawJson } from "./raw-json.js";
import type { ReadBudget } from "./read-budget.js";

export type { Role };

/** The authenticated caller of one request: a token, its tenant and its role. */
export interface Caller {
  readonly tenantId: string;
  readonly tenantName: string;
  readonly tokenId: string;
  readonly tokenName: string;
  readonly role: Role;
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
}

export type AuditAction =
  | "SET_SECRET"
  | "DELETE_SECRET"
  | "ROLLBACK_SECRET"
  | "READ_SECRET_VALUE"
  | "CREATE_API_TOKEN"
  | "REVOKE_API_TOKEN";

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
}

/** A page of audit events, newest first: `limit` and `offset` checked by the service. */
export interface AuditEventsQuery {
  limit: number;
  offset: number;
  /** Only events about this secret. */
  name?: string | null;
  /** Only events of this action. */
  action?: AuditAction | null;
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
 * Every operation the API offers. Methods throw `ServiceError` (see `errors.ts`) for anything a
 * caller did wrong; any other error is unexpected and is masked by the transport.
 */
export interface SecretsService {
  /** The caller a bearer token stands for; undefined for an unknown, expired or revoked token. */
  authenticate(token: string): Promise<Caller | undefined>;

  setSecret(caller: Caller, name: string, value: unknown): Promise<{ version: number }>;
  /**
   * Sets every entry in one transaction: all are written, or none is. With `skipUnchanged`, a
   * caller who may read values leaves a secret whose value is the one given as it is.
   */
  setSecrets(
    caller: Caller,
    entries: ReadonlyArray<{ name: string; value: unknown }>,
    options?: SetSecretsOptions,
  ): Promise<SecretWritten[]>;
  deleteSecret(caller: Caller, name: string): Promise<void>;
  rollbackSecret(caller: Caller, name: string, version: number): Promise<{ version: number }>;
  /**
   * Weighs, before a request runs, the values its fields would read (`reads`: each field's
   * names; undefined for every secret) and refuses the whole request (BAD_USER_INPUT) past 1000
   * values or the bytes budget, without decrypting anything. The budget it returns is passed to
   * that request's `secretValue` and `secretValues` calls, which charge it before decrypting.
   */
  admitValueReads(
    caller: Caller | undefined,
    reads: ReadonlyArray<readonly unknown[] | undefined>,
  ): Promise<ReadBudget>;
  /** A secret's current value; `budget` is the request's (a budget of its own when omitted). */
  secretValue(caller: Caller, name: string, budget?: ReadBudget): Promise<unknown>;
  /** Several current values, or every one when `names` is undefined; `budget` as above. */
  secretValues(
    caller: Caller,
    names: readonly string[] | undefined,
    budget?: ReadBudget,
  ): Promise<Record<string, unknown>>;
  /** As `secretValues`, each value as its stored JSON: what the API answers with. */
  secretValuesJson(
    caller: Caller,
    names: readonly string[] | undefined,
    budget?: ReadBudget,
  ): Promise<Record<string, RawJson>>;
  secretNames(caller: Caller): Promise<string[]>;
  listSecrets(caller: Caller, query: ListSecretsQuery): Promise<SecretMeta[]>;
  secretVersions(caller: Caller, name: string): Promise<SecretVersionMeta[]>;

  createApiToken(
    caller: Caller,
    input: { name: string; role: Role; expiresAt?: Date | null },
  ): Promise<{ token: string; apiToken: ApiTokenMeta }>;
  apiTokens(caller: Caller): Promise<ApiTokenMeta[]>;
  revokeApiToken(caller: Caller, id: string): Promise<void>;

  auditEvents(caller: Caller, query: AuditEventsQuery): Promise<AuditEventRecord[]>;

  /** Resolves when the database answers; rejects otherwise (for `GET /readyz`). */
  ready(): Promise<void>;
  /** Finishes pending writes and closes the database. */
  close(): Promise<void>;
}

/**
 * How each method of {@link SecretsService} is measured: as an operation of its own name, as
 * another operation's (the values read as stored JSON is a `secretValues`), or not at all
 * (weighing a request is part of its value reads; `ready` and `close` are the server's own).
 * Typed against the interface, so a new method cannot be left out.
 */
export const SERVICE_METHODS = {
  authenticate: "operation",
  setSecret: "operation",
  setSecrets: "operation",
  deleteSecret: "operation",
  rollbackSecret: "operation",
  admitValueReads: "not measured",
  secretValue: "operation",
  secretValues: "operation",
  secretValuesJson: "secretValues",
  secretNames: "operation",
  listSecrets: "operation",
  secretVersions: "operation",
  createApiToken: "operation",
  apiTokens: "operation",
  revokeApiToken: "operation",
  auditEvents: "operation",
  ready: "not measured",
  close: "not measured",
} as const satisfies Record<
  keyof SecretsService,
  "operation" | "not measured" | keyof SecretsService
>;

type Measured = typeof SERVICE_METHODS;

/** The operations measured: the service's methods (labels never hold input). */
export type ServiceOperation = {
  [K in keyof Measured]: Measured[K] extends "operation" ? K : never;
}[keyof Measured];
