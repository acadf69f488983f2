import type { Kysely } from "kysely";
import type { Database } from "../storage/schema.js";
import type { Writer } from "../storage/writer.js";
import { type AuditEntry, AuditInserts, insertAuditEvents } from "./audit.js";
import { AuditBatcher } from "./audit-batcher.js";
import type { Caller } from "./contract.js";
import { forbidden, isAllowed, type Permission } from "./roles.js";

/** What an audit event is about, besides who did what with which outcome. */
export interface AuditAbout {
  secretName?: string | null;
  version?: number | null;
  target?: string | null;
}

/** Records what callers did: inside a write's transaction, or on its own (reads, refusals). */
export class AuditLog {
  readonly #clock: () => Date;
  readonly #batcher: AuditBatcher;

  constructor(options: { db: Kysely<Database>; writer: Writer; clock: () => Date }) {
    this.#clock = options.clock;
    this.#batcher = new AuditBatcher(options.writer, new AuditInserts(options.db), options.clock);
  }

  /** The event of `caller` doing `action`. */
  entry(
    caller: Caller,
    action: AuditEntry["action"],
    outcome: AuditEntry["outcome"],
    about: AuditAbout = {},
  ): AuditEntry {
    return {
      tenantId: caller.tenantId,
      action,
      outcome,
      actor: caller.tokenName,
      actorTokenId: caller.tokenId,
      ...about,
    };
  }

  /** Records an event inside the write transaction `db` belongs to. */
  recordIn(
    db: Kysely<Database>,
    caller: Caller,
    action: AuditEntry["action"],
    outcome: AuditEntry["outcome"],
    about?: AuditAbout,
  ): Promise<void> {
    return insertAuditEvents(db, this.#clock(), [this.entry(caller, action, outcome, about)]);
  }

  /** Records an event outside a write; resolves once it is committed. */
  record(
    caller: Caller,
    action: AuditEntry["action"],
    outcome: AuditEntry["outcome"],
    about?: AuditAbout,
  ): Promise<void> {
    return this.recordAll([this.entry(caller, action, outcome, about)]);
  }

  /** Records events outside a write; resolves once they are committed. */
  recordAll(entries: readonly AuditEntry[]): Promise<void> {
    return this.#batcher.write(entries);
  }

  /** Throws FORBIDDEN, after recording the refusal, when the caller's role lacks `permission`. */
  async require(
    caller: Caller,
    permission: Permission,
    action: AuditEntry["action"],
    about: AuditAbout = {},
  ): Promise<void> {
    if (isAllowed(caller, permission)) return;
    await this.record(caller, action, "DENIED", {
      secretName: about.secretName ?? null,
      target: about.target ?? null,
    });
    throw forbidden(caller, permission);
  }
}
