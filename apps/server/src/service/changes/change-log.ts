import type { SecretChangeAction } from "@hush/schema/types";
import { type CompiledQuery, type Kysely, type RawBuilder, sql } from "kysely";
import { queryTemplate } from "../../storage/query-template.js";
import type { Database } from "../../storage/schema.js";
import type { Caller } from "../contract.js";
import { nowIso, type ServiceContext } from "../service-context.js";

export type { SecretChangeAction };

/** One change about to be committed: where, what, which version; never a value. */
export interface ChangeEntry {
  environmentName: string;
  /** The secret; null for environment changes and COPY. */
  secretName: string | null;
  action: SecretChangeAction;
  version: number | null;
}

/** Tells whoever waits for a tenant's changes (long polls, the webhook worker) that some came. */
export type ChangeSignal = (tenantId: string) => void;

/** The PostgreSQL notification payload of new changes in a tenant. */
export function changesNotice(tenantId: string): string {
  return `changes:${tenantId}`;
}

/**
 * Records each committed change as a row of `change_events` in the transaction of the change,
 * with a delivery row for each enabled webhook it matches: a change, its event and its
 * deliveries commit together or not at all.
 *
 * Followers read a tenant's events in commit order (`changeSeq`), so that one reading after a
 * cursor never skips a change that commits later. SQLite has one writer: ids are taken in
 * commit order. PostgreSQL takes ids when a row is inserted, which is not commit order, so
 * the database orders them itself, at commit, and nothing here takes a lock: a deferred
 * constraint trigger (migration 0006) takes the tenant's transaction-scoped advisory lock as
 * the transaction commits and gives each of its events the next `seq`; the lock is released
 * once the commit is visible, so a later `seq` is never seen before an earlier one. Only the
 * ends of a tenant's transactions are serialised, not the writes before them, and the trigger
 * touches only its transaction's new rows, so it cannot deadlock with row locks taken earlier.
 * After the commit, `committed` wakes this process's long polls and worker; the other replicas
 * are told by `ReplicaNotices`, outside the transaction.
 */
export class ChangeLog {
  readonly #context: ServiceContext;
  readonly #signal: ChangeSignal;
  readonly #hasWebhooks: (tenantId: string) => boolean;
  readonly #sqliteEvent;
  readonly #sqliteDeliveries;

  /**
   * @param signal Called after a commit that recorded changes.
   * @param hasWebhooks Whether the tenant may have enabled webhooks (SQLite leaves out the
   * delivery INSERT when it has none; on PostgreSQL it is part of the one statement anyway).
   */
  constructor(
    context: ServiceContext,
    signal: ChangeSignal,
    hasWebhooks: (tenantId: string) => boolean,
  ) {
    this.#context = context;
    this.#signal = signal;
    this.#hasWebhooks = hasWebhooks;
    const db = context.db;
    const keys = ["tenantId", "environment", "name", "action", "version", "at", "actor"] as const;
    this.#sqliteEvent = queryTemplate(keys, (p) =>
      db.insertInto("change_events").values({
        tenant_id: p.tenantId,
        environment_name: p.environment,
        secret_name: p.name,
        action: p.action,
        version: p.version,
        at: p.at,
        actor: p.actor,
      }),
    );
    // Right after the event's INSERT in the same plan, on SQLite's one writer: the tenant's
    // newest event is that one.
    this.#sqliteDeliveries = queryTemplate(["tenantId", "at"], (p) =>
      insertDeliveries(
        db,
        p.tenantId,
        p.at,
        sql<boolean>`e.id = (select max(id) from change_events where tenant_id = ${p.tenantId})`,
      ),
    );
  }

  /** Records `entries` in the transaction `db` belongs to. */
  async recordIn(
    db: Kysely<Database>,
    caller: Caller,
    entries: readonly ChangeEntry[],
  ): Promise<void> {
    if (entries.length === 0) return;
    const at = nowIso(this.#context);
    const rows = entries.map((entry) => ({
      tenant_id: caller.tenantId,
      environment_name: entry.environmentName,
      secret_name: entry.secretName,
      action: entry.action,
      version: entry.version,
      at,
      actor: caller.tokenName,
    }));
    if (this.#context.backend === "postgres") {
      const values = sql.join(
        rows.map(
          (r) =>
            sql`(${r.tenant_id}, ${r.environment_name}, ${r.secret_name}, ${r.action}, ${r.version}::integer, ${r.at}, ${r.actor})`,
        ),
      );
      await postgresRecord(caller.tenantId, at, values).execute(db);
      return;
    }
    const inserted = await db.insertInto("change_events").values(rows).returning("id").execute();
    if (!this.#hasWebhooks(caller.tenantId)) return;
    const ids = inserted.map((r) => Number(r.id));
    await insertDeliveries(
      db,
      caller.tenantId,
      at,
      sql<boolean>`e.id in (${sql.join(ids)})`,
    ).execute();
  }

  /**
   * The statements a write plan of a new value adds to record its change (see `recordIn`). On
   * PostgreSQL the value's one statement records it itself (see `PostgresValuePlan`): none.
   */
  planned(caller: Caller, entry: ChangeEntry): CompiledQuery[] {
    if (this.#context.backend === "postgres") return [];
    const at = nowIso(this.#context);
    const values = {
      tenantId: caller.tenantId,
      environment: entry.environmentName,
      name: entry.secretName,
      action: entry.action,
      version: entry.version,
      at,
      actor: caller.tokenName,
    };
    const statements = [this.#sqliteEvent(values)];
    if (this.#hasWebhooks(caller.tenantId)) {
      statements.push(this.#sqliteDeliveries({ tenantId: caller.tenantId, at }));
    }
    return statements;
  }

  /** To call once a write that recorded changes of `tenantId` committed. */
  committed(tenantId: string): void {
    this.#signal(tenantId);
  }
}

/**
 * PostgreSQL: the events `values` and a delivery for each enabled webhook each matches, in one
 * statement.
 */
function postgresRecord(tenantId: string, at: string, values: RawBuilder<unknown>) {
  return sql`with ev as (
      insert into change_events (tenant_id, environment_name, secret_name, action, version, at, actor)
      values ${values}
      returning id, environment_name, action
    ), delivered as (
      insert into webhook_deliveries (webhook_id, change_event_id, status, attempts, next_attempt_at)
      select w.id, ev.id, 'PENDING', 0, ${at}
      from ev join webhooks w on w.tenant_id = ${tenantId}
        and w.disabled_at is null
        and (w.environment_name is null or w.environment_name = ev.environment_name)
        and (w.events is null or strpos(w.events, '"' || ev.action || '"') > 0)
    )
    select count(*) from ev`;
}

/** SQLite: the deliveries of the events `e` that `which` selects. */
function insertDeliveries(
  db: Kysely<Database>,
  tenantId: string,
  at: string,
  which: RawBuilder<boolean>,
) {
  return db
    .insertInto("webhook_deliveries")
    .columns(["webhook_id", "change_event_id", "status", "attempts", "next_attempt_at"])
    .expression(
      db
        .selectFrom("change_events as e")
        .innerJoin("webhooks as w", (join) =>
          join
            .on("w.tenant_id", "=", tenantId)
            .on("w.disabled_at", "is", null)
            .on((eb) =>
              eb.or([
                eb("w.environment_name", "is", null),
                eb("w.environment_name", "=", eb.ref("e.environment_name")),
              ]),
            )
            .on((eb) =>
              eb.or([
                eb("w.events", "is", null),
                sql<boolean>`instr(w.events, '"' || e.action || '"') > 0`,
              ]),
            ),
        )
        .select((eb) => [
          "w.id",
          "e.id",
          eb.val("PENDING").as("status"),
          eb.val(0).as("attempts"),
          eb.val(at).as("next_attempt_at"),
        ])
        .where(which),
    );
}
