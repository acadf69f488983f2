import type { CompiledQuery, InsertQueryBuilder, Kysely } from "kysely";
import type { AuditEventsTable, Database } from "../../storage/schema.js";
import type { AuditAction, AuditEventRecord } from "../contract.js";
import { newId } from "../new-id.js";
import { countsRepeats, isRefusal, repeatKey } from "./policy.js";

/** One audit event to write: who (a token's name), what, when, the outcome; never a value. */
export interface AuditEntry {
  tenantId: string;
  /** The environment a secret event happened in; null or absent for others. */
  environmentId?: string | null;
  /** Its name (kept after it is deleted), or the name of one a refused call named in vain. */
  environmentName?: string | null;
  action: AuditAction;
  outcome: AuditEventRecord["outcome"];
  actor: string;
  actorTokenId: string | null;
  secretName?: string | null;
  version?: number | null;
  target?: string | null;
  /** The first names of a call over several secrets (see `secretsOfCall`). */
  secretNames?: readonly string[] | null;
  /** How many names that call named. */
  secretNameCount?: number | null;
  /** Counts a token's refusals past its limit per minute, without names. */
  suppressed?: boolean;
  /** The identity trust the event is about. */
  trustId?: string | null;
  /** For an exchange: the identity token's subject. */
  subject?: string | null;
  /** For the webhook events: the webhook's id. */
  webhookId?: string | null;
}

// SQLite caps the number of bound parameters in one statement: more rows take more statements.
const ROWS_PER_INSERT = 200;

function auditRow(entry: AuditEntry, at: Date, iso: string): AuditEventsTable {
  const about = {
    tenantId: entry.tenantId,
    environmentId: entry.environmentId ?? null,
    environmentName: entry.environmentName ?? null,
    actorKey: entry.actorTokenId ?? entry.actor,
    action: entry.action,
    outcome: entry.outcome,
    secretName: entry.secretName ?? null,
    secretNames: entry.secretNames ?? null,
    secretNameCount: entry.secretNameCount ?? null,
    version: entry.version ?? null,
    target: entry.target ?? null,
    suppressed: entry.suppressed === true,
    trustId: entry.trustId ?? null,
  };
  return {
    id: newId(at.getTime()),
    tenant_id: entry.tenantId,
    environment_id: about.environmentId,
    environment_name: about.environmentName,
    action: entry.action,
    secret_name: about.secretName,
    version: about.version,
    outcome: entry.outcome,
    actor: entry.actor,
    actor_token_id: entry.actorTokenId,
    target: about.target,
    at: iso,
    count: 1,
    last_at: iso,
    secret_names: about.secretNames === null ? null : JSON.stringify(about.secretNames),
    secret_name_count: about.secretNameCount,
    suppressed: about.suppressed ? 1 : 0,
    refusal: isRefusal(entry.outcome) ? 1 : 0,
    coalesce_key: countsRepeats(entry.action, entry.outcome) ? repeatKey(about, at) : null,
    trust_id: about.trustId,
    subject: entry.subject ?? null,
    webhook_id: entry.webhookId ?? null,
  };
}

/** The rows of `entries` at one time: repeats among them are counted on one row. */
export function auditRows(entries: readonly AuditEntry[], at: Date): AuditEventsTable[] {
  const iso = at.toISOString();
  const rows: AuditEventsTable[] = [];
  const byKey = new Map<string, AuditEventsTable>();
  for (const entry of entries) {
    const row = auditRow(entry, at, iso);
    const key = row.coalesce_key;
    const same = key === null ? undefined : byKey.get(key);
    if (same !== undefined) {
      same.count += 1;
      continue;
    }
    if (key !== null) byKey.set(key, row);
    rows.push(row);
  }
  // Concurrent inserts lock the events they count on in one order, so they cannot deadlock
  // (PostgreSQL runs groups of them in transactions of their own).
  return rows.sort((a, b) => compareKeys(a.coalesce_key, b.coalesce_key));
}

function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** An event whose key is already stored counts on that event instead of adding a row. */
function countRepeats<Q extends InsertQueryBuilder<Database, "audit_events", unknown>>(
  insert: Q,
): Q {
  return insert.onConflict((oc) =>
    oc.column("coalesce_key").doUpdateSet((eb) => ({
      count: eb("audit_events.count", "+", eb.ref("excluded.count")),
      last_at: eb.ref("excluded.last_at"),
    })),
  ) as Q;
}

/** Records audit events inside the transaction `db` belongs to. */
export async function insertAuditEvents(
  db: Kysely<Database>,
  at: Date,
  entries: readonly AuditEntry[],
): Promise<void> {
  const rows = auditRows(entries, at);
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await countRepeats(
      db.insertInto("audit_events").values(rows.slice(i, i + ROWS_PER_INSERT)),
    ).execute();
  }
}

type Column = keyof AuditEventsTable;
const COLUMNS = Object.keys({
  id: true,
  tenant_id: true,
  environment_id: true,
  environment_name: true,
  action: true,
  secret_name: true,
  version: true,
  outcome: true,
  actor: true,
  actor_token_id: true,
  target: true,
  at: true,
  count: true,
  last_at: true,
  secret_names: true,
  secret_name_count: true,
  suppressed: true,
  refusal: true,
  coalesce_key: true,
  trust_id: true,
  subject: true,
  webhook_id: true,
} satisfies Record<Column, true>) as Column[];

/** An INSERT of some number of rows, compiled once: where each row's values go. */
interface Template {
  readonly compiled: CompiledQuery;
  /** For each parameter of the compiled query: [row, column]. */
  readonly slots: readonly (readonly [number, Column])[];
}

/**
 * The multi-row INSERTs of audit events written in groups: the SQL for each number of rows is
 * compiled once, then filled in with each group's rows (building the Kysely query for every
 * group cost more than running it).
 */
export class AuditInserts {
  readonly #db: Kysely<Database>;
  readonly #templates = new Map<number, Template>();

  /** `db` is used to compile only: the statements run wherever the caller sends them. */
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** The statements that record `entries` at one time. */
  compile(at: Date, entries: readonly AuditEntry[]): CompiledQuery[] {
    const all = auditRows(entries, at);
    const statements: CompiledQuery[] = [];
    for (let start = 0; start < all.length; start += ROWS_PER_INSERT) {
      const rows = all.slice(start, start + ROWS_PER_INSERT);
      const { compiled, slots } = this.#template(rows.length);
      statements.push({
        ...compiled,
        parameters: slots.map(([row, column]) => rows[row]![column]),
      });
    }
    return statements;
  }

  #template(rows: number): Template {
    let template = this.#templates.get(rows);
    if (template === undefined) {
      // Each value is a placeholder naming its row and column, found again among the parameters.
      const placeholder = (row: number, column: Column) => `\u0000${row}:${column}\u0000`;
      const compiled = countRepeats(
        this.#db
          .insertInto("audit_events")
          .values(
            Array.from(
              { length: rows },
              (_, row) =>
                Object.fromEntries(
                  COLUMNS.map((column) => [column, placeholder(row, column)]),
                ) as unknown as AuditEventsTable,
            ),
          ),
      ).compile();
      const slotOf = new Map<unknown, readonly [number, Column]>();
      for (let row = 0; row < rows; row++) {
        for (const column of COLUMNS) slotOf.set(placeholder(row, column), [row, column]);
      }
      const slots = compiled.parameters.map((parameter) => {
        const slot = slotOf.get(parameter);
        if (slot === undefined) throw new Error("AuditInserts: a parameter is not a placeholder.");
        return slot;
      });
      template = { compiled, slots };
      this.#templates.set(rows, template);
    }
    return template;
  }
}
