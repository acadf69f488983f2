import { HushError } from "@hush/errors";
import type { Kysely } from "kysely";
import { sql } from "kysely";
import type { Logger } from "pino";
import type { KeyRing } from "../crypto/key-ring.js";
import type { QueryRunner } from "../storage/prepared-query.js";
import type { Database, DialectName } from "../storage/schema.js";
import type { Writer } from "../storage/writer.js";
import { ApiTokens } from "./api-tokens.js";
import { AuditLog, OFFLINE_ACTOR } from "./audit/audit-log.js";
import { listAuditEvents } from "./audit/list-events.js";
import { AuditPruner, type AuditRetention, type AuditRetentionMetrics } from "./audit/retention.js";
import { Authenticator } from "./authenticator.js";
import type { ChangeFeed } from "./change-feed.js";
import { ChangeLog } from "./changes/change-log.js";
import { pruneChangeEvents } from "./changes/change-retention.js";
import { ChangeWaiters } from "./changes/change-waiters.js";
import { type DeliveryOptions, DeliveryWorker } from "./changes/delivery-worker.js";
import { ReplicaNotices } from "./changes/replica-notices.js";
import { SecretChanges, type SecretChangesQuery } from "./changes/secret-changes.js";
import { type CreateWebhookInput, Webhooks } from "./changes/webhooks.js";
import type {
  ApiTokenMeta,
  AuditAction,
  AuditEventRecord,
  AuditEventsQuery,
  Caller,
  CreatedWebhook,
  EnvironmentComparison,
  EnvironmentMeta,
  ExchangedToken,
  IdentityTrustInput,
  IdentityTrustMeta,
  ListSecretsQuery,
  Role,
  SecretChangesPage,
  SecretMeta,
  SecretVersionMeta,
  SecretWritten,
  SetSecretsOptions,
  WebhookDeliveryRecord,
  WebhookMeta,
} from "./contract.js";
import { EnvironmentCompare } from "./environment-compare.js";
import { Environments, outOfScope } from "./environments.js";
import { ServiceError } from "./errors.js";
import type {
  AdminOperations,
  OfflineEnvironmentAction,
  OfflineTokenMeta,
  OfflineTrustMeta,
  TenantInfo,
} from "./hush-service.js";
import { type ExchangeMetrics, IdentityExchange } from "./identity-exchange.js";
import { IdentityTrusts, toTrustMeta, validateTrustId } from "./identity-trusts.js";
import { IssuerKeys } from "./jwks-cache.js";
import { tenantNotFound } from "./not-found.js";
import type { RawJson } from "./raw-json.js";
import type { ReadBudget } from "./read-budget.js";
import { SecretQueries } from "./secret-queries.js";
import { SecretVersions } from "./secret-versions.js";
import { SecretWrites } from "./secret-writes.js";
import type { ServiceContext } from "./service-context.js";
import { Tenants } from "./tenants.js";
import { ValueReads } from "./value-reads.js";

/** Settings of a {@link DomainService}, filled in by `openService`. */
export interface DomainServiceOptions {
  db: Kysely<Database>;
  /** Runs the hot read queries on `db`'s connection. */
  read: QueryRunner;
  dialect: DialectName;
  writer: Writer;
  keyRing: KeyRing;
  maxValueBytes: number;
  maxRequestValueBytes: number;
  maxVersions: number;
  maxVersionRecords: number;
  tokenCacheTtlMs: number;
  /** What other replicas changed; cached token checks are dropped on their notices. */
  changes?: ChangeFeed | undefined;
  auditRetention: AuditRetention;
  /** How often old audit events are looked for. */
  auditPruneIntervalMs: number;
  /** Where the sweeps report the audit log's fill and deletions. */
  auditMetrics?: AuditRetentionMetrics | undefined;
  /** How webhook deliveries are sent (see `DeliveryWorker`). */
  webhooks: DeliveryOptions;
  /** Whether trusts may name issuers on private network addresses (`--allow-private-issuers`). */
  allowPrivateIssuers: boolean;
  /** Where identity token exchanges are counted by outcome. */
  exchangeMetrics?: ExchangeMetrics | undefined;
  clock: () => Date;
  logger: Logger | undefined;
  /** Runs after the writer drained, to release the database. */
  destroy: () => Promise<void>;
}

/**
 * The server's domain over one database: composes the parts that hold the API's rules, and
 * keeps the service's life cycle (no call starts once closing; close waits for calls and writes).
 *
 * Its public methods are the API's operations, declared here once: `SecretsService` (what the
 * transport sees) is derived from them, less the admin operations and `toJSON`. Methods throw
 * `ServiceError` (see `errors.ts`) for anything a caller did wrong; any other error is
 * unexpected and is masked by the transport.
 */
export class DomainService implements AdminOperations {
  /** Which database this service stores into. */
  readonly backend: DialectName;
  readonly #context: ServiceContext;
  readonly #writer: Writer;
  readonly #destroy: () => Promise<void>;
  readonly #authenticator: Authenticator;
  readonly #writes: SecretWrites;
  readonly #reads: ValueReads;
  readonly #queries: SecretQueries;
  readonly #versions: SecretVersions;
  readonly #tokens: ApiTokens;
  readonly #tenants: Tenants;
  readonly #environments: Environments;
  readonly #compare: EnvironmentCompare;
  readonly #auditPruner: AuditPruner;
  readonly #waiters = new ChangeWaiters();
  readonly #changes: SecretChanges;
  readonly #webhooks: Webhooks;
  readonly #deliveries: DeliveryWorker;
  readonly #trusts: IdentityTrusts;
  readonly #exchange: IdentityExchange;
  readonly #inFlight = new Set<Promise<unknown>>();
  /** Tells other replicas of committed changes (PostgreSQL). */
  readonly #replicas: ReplicaNotices | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: DomainServiceOptions) {
    this.backend = options.dialect;
    this.#writer = options.writer;
    this.#destroy = options.destroy;
    const context: ServiceContext = {
      db: options.db,
      read: options.read,
      backend: options.dialect,
      writer: options.writer,
      keyRing: options.keyRing,
      maxValueBytes: options.maxValueBytes,
      maxRequestValueBytes: options.maxRequestValueBytes,
      maxVersions: options.maxVersions,
      maxVersionRecords: options.maxVersionRecords,
      clock: options.clock,
    };
    this.#context = context;
    const audit = new AuditLog({ db: options.db, writer: options.writer, clock: options.clock });
    this.#authenticator = new Authenticator(context, {
      ttlMs: options.tokenCacheTtlMs,
      changes: options.changes,
      maxEntries: 10_000,
    });
    this.#webhooks = new Webhooks(context, audit, {
      policy: options.webhooks.policy,
      ttlMs: options.tokenCacheTtlMs,
      changes: options.changes,
    });
    this.#deliveries = new DeliveryWorker(context, options.webhooks, options.logger);
    const replicas =
      options.dialect === "postgres" ? new ReplicaNotices(options.db, options.logger) : undefined;
    this.#replicas = replicas;
    const changeLog = new ChangeLog(
      context,
      (tenantId) => {
        this.#waiters.wake(tenantId);
        if (this.#webhooks.mayHave(tenantId)) this.#deliveries.poke();
        replicas?.add(tenantId);
      },
      (tenantId) => this.#webhooks.mayHave(tenantId),
    );
    // Other replicas' changes: their long polls here, and deliveries any replica may send.
    options.changes?.on((kind, tenantId) => {
      if (kind === "changes" && tenantId !== undefined) {
        this.#waiters.wake(tenantId);
        if (this.#webhooks.mayHave(tenantId)) this.#deliveries.poke();
      }
      if (kind === "resync") this.#waiters.wakeAll();
    });
    this.#changes = new SecretChanges(context, this.#waiters);
    this.#versions = new SecretVersions(context);
    this.#writes = new SecretWrites(context, audit, this.#versions, changeLog);
    this.#reads = new ValueReads(context, audit, this.#versions);
    this.#queries = new SecretQueries(context);
    this.#tokens = new ApiTokens(context, audit, this.#authenticator);
    this.#tenants = new Tenants(context, this.#authenticator);
    this.#environments = new Environments(context, audit, changeLog, {
      ttlMs: options.tokenCacheTtlMs,
      changes: options.changes,
    });
    this.#compare = new EnvironmentCompare(context, this.#versions);
    const issuers = { allowPrivate: options.allowPrivateIssuers };
    this.#trusts = new IdentityTrusts(context, audit, this.#environments, issuers);
    this.#exchange = new IdentityExchange(
      context,
      audit,
      new IssuerKeys({ policy: issuers, clock: options.clock }),
      { logger: options.logger, metrics: options.exchangeMetrics },
    );
    this.#auditPruner = new AuditPruner(context, {
      retention: options.auditRetention,
      intervalMs: options.auditPruneIntervalMs,
      logger: options.logger,
      metrics: options.auditMetrics,
      alsoPrune: () => pruneChangeEvents(context),
    });
    this.#auditPruner.start();
    this.#deliveries.start();
  }

  /** The caller a bearer token stands for; undefined for an unknown, expired or revoked token. */
  authenticate(token: string): Promise<Caller | undefined> {
    return this.#track(() => this.#authenticator.authenticate(token));
  }

  setSecret(
    caller: Caller,
    name: string,
    value: unknown,
    environment?: string | null,
  ): Promise<{ version: number }> {
    return this.#track(async () =>
      this.#writes.setSecret(await this.#in(caller, environment, "SET_SECRET"), name, value),
    );
  }

  /**
   * Sets every entry in one transaction: all are written, or none is. With `skipUnchanged`, a
   * caller who may read values leaves a secret whose value is the one given as it is.
   */
  setSecrets(
    caller: Caller,
    entries: ReadonlyArray<{ name: string; value: unknown }>,
    options?: SetSecretsOptions,
    environment?: string | null,
  ): Promise<SecretWritten[]> {
    return this.#track(async () =>
      this.#writes.setSecrets(await this.#in(caller, environment, "SET_SECRET"), entries, options),
    );
  }

  deleteSecret(caller: Caller, name: string, environment?: string | null): Promise<void> {
    return this.#track(async () =>
      this.#writes.deleteSecret(await this.#in(caller, environment, "DELETE_SECRET"), name),
    );
  }

  rollbackSecret(
    caller: Caller,
    name: string,
    version: number,
    environment?: string | null,
  ): Promise<{ version: number }> {
    return this.#track(async () =>
      this.#writes.rollbackSecret(
        await this.#in(caller, environment, "ROLLBACK_SECRET"),
        name,
        version,
      ),
    );
  }

  /**
   * Weighs, before a request runs, the values its fields would read (`reads`: each field's
   * names; undefined for every secret) and refuses the whole request (BAD_USER_INPUT) past 1000
   * values or the bytes budget, without decrypting anything. The budget it returns is passed to
   * that request's `secretValue` and `secretValues` calls, which charge it before decrypting.
   */
  admitValueReads(
    caller: Caller | undefined,
    reads: ReadonlyArray<readonly unknown[] | undefined>,
  ): Promise<ReadBudget> {
    return this.#track(() => this.#reads.admit(caller, reads));
  }

  /** A secret's current value; `budget` is the request's (a budget of its own when omitted). */
  secretValue(
    caller: Caller,
    name: string,
    budget?: ReadBudget,
    environment?: string | null,
  ): Promise<unknown> {
    return this.#track(async () =>
      this.#reads.secretValue(
        await this.#in(caller, environment, "READ_SECRET_VALUE"),
        name,
        budget,
      ),
    );
  }

  /** Several current values, or every one when `names` is undefined; `budget` as above. */
  secretValues(
    caller: Caller,
    names: readonly string[] | undefined,
    budget?: ReadBudget,
    environment?: string | null,
  ): Promise<Record<string, unknown>> {
    return this.#track(async () =>
      this.#reads.secretValues(
        await this.#in(caller, environment, "READ_SECRET_VALUE"),
        names,
        budget,
      ),
    );
  }

  /** As `secretValues`, each value as its stored JSON: what the API answers with. */
  secretValuesJson(
    caller: Caller,
    names: readonly string[] | undefined,
    budget?: ReadBudget,
    environment?: string | null,
  ): Promise<Record<string, RawJson>> {
    return this.#track(async () =>
      this.#reads.secretValuesJson(
        await this.#in(caller, environment, "READ_SECRET_VALUE"),
        names,
        budget,
      ),
    );
  }

  secretNames(caller: Caller, environment?: string | null): Promise<string[]> {
    return this.#track(async () => this.#queries.secretNames(await this.#in(caller, environment)));
  }

  listSecrets(
    caller: Caller,
    query: ListSecretsQuery,
    environment?: string | null,
  ): Promise<SecretMeta[]> {
    return this.#track(async () =>
      this.#queries.listSecrets(await this.#in(caller, environment), query),
    );
  }

  secretVersions(
    caller: Caller,
    name: string,
    environment?: string | null,
  ): Promise<SecretVersionMeta[]> {
    return this.#track(async () => this.#versions.list(await this.#in(caller, environment), name));
  }

  /**
   * One environment's committed changes after a cursor, oldest first, never a value; a long
   * poll with `waitSeconds` (see `SecretChanges`). Any role, in the environments the token may
   * use, resolved as for `secretNames`.
   */
  secretChanges(
    caller: Caller,
    query: SecretChangesQuery,
    environment?: string | null,
  ): Promise<SecretChangesPage> {
    return this.#track(async () =>
      this.#changes.follow(await this.#in(caller, environment), query),
    );
  }

  /** The tenant's webhooks. TENANT_ADMIN only. */
  webhooks(caller: Caller): Promise<WebhookMeta[]> {
    return this.#track(() => this.#webhooks.list(caller));
  }

  /** A webhook's deliveries, newest first. TENANT_ADMIN only. */
  webhookDeliveries(
    caller: Caller,
    webhookId: string,
    page: { limit?: number | null; offset?: number | null } = {},
  ): Promise<WebhookDeliveryRecord[]> {
    return this.#track(() => this.#webhooks.deliveries(caller, webhookId, page));
  }

  /**
   * Registers a webhook: its URL checked against the outbound policy, at most 20 per tenant,
   * its environment one the token may use. The signing secret is in the answer only.
   */
  createWebhook(caller: Caller, input: CreateWebhookInput): Promise<CreatedWebhook> {
    return this.#track(async () => {
      const environment =
        input.environment == null
          ? null
          : await this.#in(caller, input.environment, "CREATE_WEBHOOK");
      return this.#webhooks.create(caller, input, environment);
    });
  }

  /** Deletes a webhook with its deliveries (pending ones are never sent). */
  deleteWebhook(caller: Caller, id: string): Promise<void> {
    return this.#track(() => this.#webhooks.delete(caller, id));
  }

  /** Enables a webhook disabled after failing; deliveries resume with the next change. */
  enableWebhook(caller: Caller, id: string): Promise<WebhookMeta> {
    return this.#track(() => this.#webhooks.enable(caller, id));
  }

  /** The tenant's environments the caller's token may use, with their secret counts. */
  environments(caller: Caller): Promise<EnvironmentMeta[]> {
    return this.#track(() => this.#environments.list(caller));
  }

  /** The environment a request of `caller` that names none acts in. */
  defaultEnvironment(caller: Caller): Promise<string> {
    return this.#track(() => this.#environments.defaultName(caller));
  }

  createEnvironment(caller: Caller, name: string): Promise<EnvironmentMeta> {
    return this.#track(() => this.#environments.create(caller, name));
  }

  deleteEnvironment(caller: Caller, name: string, force = false): Promise<void> {
    return this.#track(() => this.#environments.delete(caller, name, force === true));
  }

  setDefaultEnvironment(caller: Caller, name: string): Promise<EnvironmentMeta> {
    return this.#track(() => this.#environments.setDefault(caller, name));
  }

  /** How two environments' secrets differ, from digests: never a value. Any role. */
  compareEnvironments(caller: Caller, from: string, to: string): Promise<EnvironmentComparison> {
    return this.#track(async () =>
      this.#compare.compare(await this.#in(caller, from), await this.#in(caller, to)),
    );
  }

  /** Copies secrets between environments on the server (see `SecretWrites.copySecrets`). */
  copySecrets(
    caller: Caller,
    input: {
      from: string;
      to: string;
      names?: readonly string[] | null;
      overwrite?: boolean | null;
    },
  ): Promise<{ copied: SecretWritten[]; skipped: string[] }> {
    return this.#track(async () => {
      if (input.names != null && !Array.isArray(input.names)) {
        throw new ServiceError("BAD_USER_INPUT", "names must be a list of secret names.");
      }
      const from = await this.#in(caller, input.from, "COPY_SECRETS");
      const to = await this.#in(caller, input.to, "SET_SECRET");
      return this.#writes.copySecrets(from, to, input.names ?? undefined, input.overwrite === true);
    });
  }

  createApiToken(
    caller: Caller,
    input: {
      name: string;
      role: Role;
      expiresAt?: Date | null;
      environments?: readonly string[] | null;
    },
  ): Promise<{ token: string; apiToken: ApiTokenMeta }> {
    return this.#track(async () => {
      const environments = await this.#environments.validateScope(
        caller.tenantId,
        input.environments,
      );
      // A token scoped to some environments cannot make one that reaches further.
      const scope = caller.environments ?? null;
      if (scope !== null) {
        const beyond =
          environments === null ? undefined : environments.find((e) => !scope.includes(e));
        if (environments === null || beyond !== undefined) {
          throw outOfScope(caller, beyond ?? "(every environment)");
        }
      }
      return this.#tokens.createApiToken(caller, { ...input, environments });
    });
  }

  apiTokens(caller: Caller): Promise<ApiTokenMeta[]> {
    return this.#track(() => this.#tokens.apiTokens(caller));
  }

  revokeApiToken(caller: Caller, id: string): Promise<void> {
    return this.#track(() => this.#tokens.revokeApiToken(caller, id));
  }

  auditEvents(caller: Caller, query: AuditEventsQuery): Promise<AuditEventRecord[]> {
    return this.#track(async () => {
      let environmentIds: readonly string[] | undefined;
      if (query.environment != null) {
        environmentIds = [(await this.#in(caller, query.environment)).environmentId];
      } else if (caller.environments != null) {
        // A token scoped to environments sees their events (and those about none, e.g. tokens).
        const scope = caller.environments;
        const rows = await this.#environments.ofTenant(caller.tenantId);
        environmentIds = rows.filter((row) => scope.includes(row.name)).map((row) => row.id);
      }
      return listAuditEvents(this.#context, caller, query, {
        ids: environmentIds,
        withNone: query.environment == null,
      });
    });
  }

  /** The tenant's identity trusts; TENANT_ADMIN only. */
  identityTrusts(caller: Caller): Promise<IdentityTrustMeta[]> {
    return this.#track(() => this.#trusts.list(caller));
  }

  /** Trusts an issuer's workloads to exchange their tokens (see `IdentityTrusts.create`). */
  createIdentityTrust(caller: Caller, input: IdentityTrustInput): Promise<IdentityTrustMeta> {
    return this.#track(() => this.#trusts.create(caller, input));
  }

  /** Deletes a trust; the tokens it issued work until they expire. */
  deleteIdentityTrust(caller: Caller, id: string): Promise<void> {
    return this.#track(() => this.#trusts.delete(caller, id));
  }

  /**
   * Exchanges a workload's identity token for a short-lived API token, as a trust allows; runs
   * without a caller (see `IdentityExchange`). `client.address` is counted against the limit of
   * exchanges per address.
   */
  exchangeIdentityToken(
    input: { token: string; tenant?: string | null },
    client?: { address?: string | undefined },
  ): Promise<ExchangedToken> {
    return this.#track(() => this.#exchange.exchange(input, client));
  }

  // The admin operations, documented on `AdminOperations`: the `hush-server` command's only.

  createIdentityTrustOffline(
    tenantName: string,
    input: IdentityTrustInput,
  ): Promise<OfflineTrustMeta> {
    return this.#track(async () => {
      const admin = await this.#offlineAdmin(tenantName);
      return { ...(await this.#trusts.create(admin, input)), tenantName };
    });
  }

  listIdentityTrustsOffline(tenantName?: string): Promise<OfflineTrustMeta[]> {
    return this.#track(async () => {
      const tenantId =
        tenantName === undefined ? undefined : (await this.#offlineAdmin(tenantName)).tenantId;
      return this.#offlineTrusts(tenantId === undefined ? {} : { tenantId });
    });
  }

  deleteIdentityTrustOffline(id: string): Promise<OfflineTrustMeta> {
    return this.#track(async () => {
      const trustId = validateTrustId(id);
      const [found] = await this.#offlineTrusts({ id: trustId });
      if (found === undefined) {
        throw new ServiceError(
          "NOT_FOUND",
          `There is no identity trust ${trustId}; hush-server trust list shows the ids there are.`,
          { extensions: { id: trustId } },
        );
      }
      await this.#trusts.delete(await this.#offlineAdmin(found.tenantName), trustId);
      return found;
    });
  }

  environmentsOffline(
    tenantName: string,
    change: OfflineEnvironmentAction,
  ): Promise<EnvironmentMeta[]> {
    return this.#track(async () => {
      const admin = await this.#offlineAdmin(tenantName);
      if (change.action === "create") await this.#environments.create(admin, change.name);
      if (change.action === "delete") {
        await this.#environments.delete(admin, change.name, change.force === true);
      }
      if (change.action === "default") await this.#environments.setDefault(admin, change.name);
      return this.#environments.list(admin);
    });
  }

  createTenant(name: string): Promise<{ tenant: { id: string; name: string }; token: string }> {
    return this.#track(() => this.#tenants.createTenant(name));
  }

  createTokenOffline(input: {
    tenantName: string;
    role: Role;
    name: string;
    expiresAt?: Date | null;
    environments?: readonly string[] | null;
  }): Promise<{ id: string; token: string }> {
    return this.#track(() => this.#tenants.createTokenOffline(input));
  }

  listTokensOffline(tenantName?: string): Promise<OfflineTokenMeta[]> {
    return this.#track(() => this.#tenants.listTokensOffline(tenantName));
  }

  revokeTokenOffline(
    id: string,
    options?: { force?: boolean },
  ): Promise<OfflineTokenMeta & { wasRevoked: boolean }> {
    return this.#track(() => this.#tenants.revokeTokenOffline(id, options));
  }

  listTenants(): Promise<TenantInfo[]> {
    return this.#track(() => this.#tenants.listTenants());
  }

  pruneAuditEvents(): Promise<number> {
    return this.#track(() => this.#auditPruner.sweep());
  }

  /** Resolves when the database answers; rejects otherwise (for `GET /readyz`). */
  ready(): Promise<void> {
    return this.#track(async () => {
      await sql`select 1`.execute(this.#context.db);
      // Writes may go through another connection (SQLite's writer thread): it must answer too.
      await this.#context.writer.ready();
    });
  }

  /** Finishes pending writes and closes the database. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      // Calls that started before close() finish first, then queued writes, then the database.
      // Held long polls answer at once.
      this.#waiters.close();
      await this.#deliveries.stop();
      await this.#auditPruner.stop();
      while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
      await this.#writer.drain();
      await this.#replicas?.flush();
      await this.#destroy();
    })();
    return this.#closing;
  }

  // Tokens and keys stay out of logs and inspected objects.
  toJSON(): unknown {
    return { service: "hush", backend: this.backend };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `DomainService { backend: ${this.backend} }`;
  }

  /** The tenant's admin as the `hush-server` command acts, audited as `hush-server`. */
  async #offlineAdmin(tenantName: string): Promise<Caller> {
    const tenant = (await this.#tenants.listTenants()).find((t) => t.name === tenantName);
    if (tenant === undefined) throw tenantNotFound(tenantName);
    return {
      tenantId: tenant.id,
      tenantName: tenant.name,
      tokenId: OFFLINE_ACTOR,
      tokenName: OFFLINE_ACTOR,
      role: "TENANT_ADMIN",
    };
  }

  /** Trusts with their tenants' names, by tenant then oldest first: of one tenant, or one. */
  async #offlineTrusts(where: { tenantId?: string; id?: string }): Promise<OfflineTrustMeta[]> {
    let query = this.#context.db
      .selectFrom("identity_trusts as t")
      .innerJoin("tenants", "tenants.id", "t.tenant_id")
      .selectAll("t")
      .select("tenants.name as tenant_name");
    if (where.tenantId !== undefined) query = query.where("t.tenant_id", "=", where.tenantId);
    if (where.id !== undefined) query = query.where("t.id", "=", where.id);
    const rows = await query.orderBy("tenants.created").orderBy("t.created").execute();
    return rows.map(({ tenant_name, ...row }) => ({
      ...toTrustMeta(row),
      tenantName: tenant_name,
    }));
  }

  /** `caller` acting in `environment` (see `Environments.resolve`). */
  #in(caller: Caller, environment: string | null | undefined, action?: AuditAction) {
    return this.#environments.resolve(caller, environment, action);
  }

  /** Runs a call unless the service is closing, and remembers it until it settles. */
  #track<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#closing !== undefined) {
      return Promise.reject(
        new HushError("SERVICE_CLOSED", "The service is shutting down; retry on another replica."),
      );
    }
    const running = operation();
    this.#inFlight.add(running);
    const forget = () => this.#inFlight.delete(running);
    running.then(forget, forget);
    return running;
  }
}
