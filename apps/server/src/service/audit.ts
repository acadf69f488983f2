import type { CompiledQuery, Kysely } from "kysely";
import type { AuditEventsTable, Database } from "../storage/schema.js";
import type { AuditAction, AuditEventRecord } from "./contract.js";
import { newId } from "./new-id.js";

/** One audit event to write: who (a token's name), what, when, the outcome; never a value. */
export interface AuditEntry {
  tenantId: string;
  action: AuditAction;
  outcome: AuditEventRecord["outcome"];
  actor: string;
  actorTokenId: string | null;
  secretName?: string | null;
  version?: number | null;
  target?: string | null;
}

// SQLite caps the number of bound parameters in one statement: more rows take more statements.
const ROWS_PER_INSERT = 200;

function auditRow(entry: AuditEntry, at: Date, iso: string): AuditEventsTable {
  return {
    id: newId(at.getTime()),
    tenant_id: entry.tenantId,
    action: entry.action,
    secret_name: entry.secretName ?? null,
    version: entry.version ?? null,
    outcome: entry.outcome,
    actor: entry.actor,
    actor_token_id: entry.actorTokenId,
    target: entry.target ?? null,
    at: iso,
  };
}

/** Records audit events inside the transaction `db` belongs to. */
export async function insertAuditEvents(
  db: Kysely<Database>,
  at: Date,
  entries: readonly AuditEntry[],
): Promise<void> {
  const iso = at.toISOString();
  for (let i = 0; i < entries.length; i += ROWS_PER_INSERT) {
    const rows = entries.slice(i, i + ROWS_PER_INSERT).map((e) => auditRow(e, at, iso));
    await db.insertInto("audit_events").values(rows).execute();
  }
}

type Column = keyof AuditEventsTable;
const COLUMNS = Object.keys({
  id: true,
  tenant_id: true,
  action: true,
  secret_name: true,
  version: true,
  outcome: true,
  actor: true,
  actor_token_id: true,
  target: true,
  at: true,
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
    const iso = at.toISOString();
    const statements: CompiledQuery[] = [];
    for (let start = 0; start < entries.length; start += ROWS_PER_INSERT) {
      const rows = entries.slice(start, start + ROWS_PER_INSERT).map((e) => auditRow(e, at, iso));
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
      const compiled = this.#db
        .insertInto("audit_events")
        .values(
          Array.from(
            { length: rows },
            (_, row) =>
              Object.fromEntries(
                COLUMNS.map((column) => [column, placeholder(row, column)]),
              ) as unknown as AuditEventsTable,
          ),
        )
        .compile();
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
