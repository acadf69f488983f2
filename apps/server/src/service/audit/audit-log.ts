import type { CompiledQuery, Kysely } from "kysely";
import type { AuditEventsTable, Database } from "../../storage/schema.js";
import type { Writer } from "../../storage/writer.js";
import type { Caller, EnvCaller } from "../contract.js";
import { forbidden, isAllowed, type Permission } from "../roles.js";
import { AuditBatcher } from "./batcher.js";
import { type AuditEntry, AuditInserts, auditRows, insertAuditEvents } from "./event-rows.js";
import { isRefusal, secretsOfCall } from "./policy.js";
import { RefusalBudget } from "./refusal-budget.js";

/**
 * The token id and name of the caller the `hush-server` command acts as: its events name it as
 * the actor, with no token id.
 */
export const OFFLINE_ACTOR = "hush-server";

/** What an audit event is about, besides who did what with which outcome. */
export interface AuditAbout {
  secretName?: string | null;
  /** Every name a call over several secrets named; the event keeps the first few and a count. */
  secretNames?: readonly string[] | null;
  version?: number | null;
  target?: string | null;
  /**
   * The name of an environment the call named that has no row (yet): a refused creation, or a
   * name the tenant does not have. An `EnvCaller`'s own environment comes first.
   */
  environmentName?: string | null;
  /** The identity trust the event is about. */
  trustId?: string | null;
  /** For an exchange: the identity token's subject (`sub`), never the token. */
  subject?: string | null;
  /** The webhook a webhook event is about. */
  webhookId?: string | null;
}

/**
 * Records what callers did: inside a write's transaction, or on its own (reads, refusals).
 * Refusals and misses pass through each token's budget per minute (see `policy.ts`).
 */
export class AuditLog {
  readonly #clock: () => Date;
  readonly #batcher: AuditBatcher;
  readonly #inserts: AuditInserts;
  readonly #refusals = new RefusalBudget();

  constructor(options: { db: Kysely<Database>; writer: Writer; clock: () => Date }) {
    this.#clock = options.clock;
    this.#inserts = new AuditInserts(options.db);
    this.#batcher = new AuditBatcher(options.writer, this.#inserts, options.clock);
  }

  /** Records an event inside the write transaction `db` belongs to. */
  recordIn(
    db: Kysely<Database>,
    caller: Caller,
    action: AuditEntry["action"],
    outcome: AuditEntry["outcome"],
    about?: AuditAbout,
  ): Promise<void> {
    const at = this.#clock();
    return insertAuditEvents(db, at, [this.#entry(caller, action, outcome, about, at)]);
  }

  /** The statements that record an event as part of a write plan (see `WritePlan`). */
  compileIn(
    caller: Caller,
    action: AuditEntry["action"],
    outcome: AuditEntry["outcome"],
    about?: AuditAbout,
  ): CompiledQuery[] {
    const at = this.#clock();
    return this.#inserts.compile(at, [this.#entry(caller, action, outcome, about, at)]);
  }

  /** The rows that record an event, for a write plan that inserts them itself. */
  rowsIn(
    caller: Caller,
    action: AuditEntry["action"],
    outcome: AuditEntry["outcome"],
    about?: AuditAbout,
  ): AuditEventsTable[] {
    const at = this.#clock();
    return auditRows([this.#entry(caller, action, outcome, about, at)], at);
  }

  /** Records an event outside a write; resolves once it is committed. */
  record(
    caller: Caller,
    action: AuditEntry["action"],
    outcome: AuditEntry["outcome"],
    about?: AuditAbout,
  ): Promise<void> {
    return this.#batcher.write([this.#entry(caller, action, outcome, about, this.#clock())]);
  }

  /** Records successful reads of values, one event per secret; resolves once committed. */
  recordReads(
    caller: Caller,
    reads: ReadonlyArray<{ secretName: string; version: number }>,
  ): Promise<void> {
    return this.#batcher.write(
      reads.map((read) => this.#entry(caller, "READ_SECRET_VALUE", "SUCCESS", read)),
    );
  }

  /** Throws FORBIDDEN, after recording the refusal, when the caller's role lacks `permission`. */
  async require(
    caller: Caller,
    permission: Permission,
    action: AuditEntry["action"],
    about: AuditAbout = {},
  ): Promise<void> {
    if (isAllowed(caller, permission)) return;
    await this.record(caller, action, "DENIED", about);
    throw forbidden(caller, permission);
  }

  /** The event of `caller` doing `action`; a refusal past the token's budget loses its names. */
  #entry(
    caller: Caller,
    action: AuditEntry["action"],
    outcome: AuditEntry["outcome"],
    about: AuditAbout = {},
    at?: Date,
  ): AuditEntry {
    const env = "environmentId" in caller ? (caller as EnvCaller) : undefined;
    const who = {
      tenantId: caller.tenantId,
      environmentId: env?.environmentId ?? null,
      environmentName: env?.environmentName ?? null,
      action,
      outcome,
      actor: caller.tokenName,
      actorTokenId: caller.tokenId === OFFLINE_ACTOR ? null : caller.tokenId,
    };
    if (isRefusal(outcome) && !this.#refusals.admit(caller.tokenId, at ?? this.#clock())) {
      return { ...who, suppressed: true };
    }
    const names = about.secretNames == null ? {} : secretsOfCall(about.secretNames);
    return {
      ...who,
      environmentName: who.environmentName ?? about.environmentName ?? null,
      secretName: about.secretName ?? null,
      version: about.version ?? null,
      target: about.target ?? null,
      trustId: about.trustId ?? null,
      subject: about.subject ?? null,
      webhookId: about.webhookId ?? null,
      ...names,
    };
  }
}
