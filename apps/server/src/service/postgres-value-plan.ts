import { type CompiledQuery, type Kysely, type QueryCreator, type RawBuilder, sql } from "kysely";
import { queryTemplate } from "../storage/query-template.js";
import type { AuditEventsTable, Database } from "../storage/schema.js";
import { advanceSecretRow, createSecretRow, pruneValueRows } from "./secret-row-statements.js";

/** What the statement of a new value writes (see `PostgresValuePlan.compile`). */
export interface PostgresValueRow {
  tenantId: string;
  environmentId: string;
  name: string;
  version: number;
  now: string;
  actor: string;
  /** The version the secret's row must still be at; unused when the row is to be created. */
  expected: number;
  /** Version rows older than this are deleted (the kept history of metadata). */
  oldestKept: number;
  keyId: string;
  wrappedKey: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  authTag: Buffer;
  digest: Buffer;
  digestKeyId: string;
  /** The change event's environment (its name). */
  environmentName: string;
}

type AuditColumn = keyof AuditEventsTable;
type Key = keyof PostgresValueRow | `audit_${AuditColumn}`;
type Template = (values: Record<Key, unknown>) => CompiledQuery;

// Parameters in a SELECT list have no column to take their type from: integers say so.
const INTEGER_COLUMNS = new Set(["version", "count", "secret_name_count", "suppressed", "refusal"]);

/**
 * A new value of a secret on PostgreSQL as ONE statement (one round trip instead of one per
 * statement): a WITH whose first data-modifying part is the guard (create the secret's row, or
 * advance it from the version read), and whose other parts (the version row, pruning, the audit
 * event, the change event with its webhook deliveries) write only when the guard did.
 * It returns one row when the guard changed the secret's row, none when another write got there
 * first (then nothing was written).
 *
 * Every part sees the database as it was before the statement: pruning values counts the kept
 * ones without the new version (so it keeps one fewer of the older ones), and leaves alone the
 * rows that pruning records deletes (a row is changed by one part only).
 */
export class PostgresValuePlan {
  readonly #db: Kysely<Database>;
  readonly #maxVersions: number;
  readonly #templates = new Map<string, Template>();

  /** `db` is used to compile only. */
  constructor(db: Kysely<Database>, maxVersions: number) {
    this.#db = db;
    this.#maxVersions = maxVersions;
  }

  /** The statement that writes `row` and its audit event, `audit` (one row, not a repeat). */
  compile(create: boolean, row: PostgresValueRow, audit: AuditEventsTable) {
    const columns = Object.keys(audit) as AuditColumn[];
    const key = `${create}:${columns.join(",")}`;
    let template = this.#templates.get(key);
    if (template === undefined) {
      template = this.#template(create, columns);
      this.#templates.set(key, template);
    }
    const values = { ...row } as Record<Key, unknown>;
    for (const column of columns) values[`audit_${column}`] = audit[column];
    return template(values);
  }

  #template(create: boolean, columns: readonly AuditColumn[]): Template {
    const keys: Key[] = [
      "tenantId",
      "environmentId",
      "name",
      "version",
      "now",
      "actor",
      ...(create ? [] : (["expected"] as const)),
      "oldestKept",
      "keyId",
      "wrappedKey",
      "iv",
      "ciphertext",
      "authTag",
      "digest",
      "digestKeyId",
      "environmentName",
      ...columns.map((column): Key => `audit_${column}`),
    ];
    const maxVersions = this.#maxVersions;
    return queryTemplate(keys, (p) => {
      const advancedRow = sql<number>`1`.as("advanced");
      const typed = (value: never, type: "text" | "integer" | "bytea"): RawBuilder<unknown> =>
        sql`cast(${value} as ${sql.raw(type)})`;
      const guard = (qc: QueryCreator<Database>) =>
        create
          ? createSecretRow(qc, p).returning(advancedRow)
          : advanceSecretRow(qc, p).returning(advancedRow);
      const advanced = sql<boolean>`exists (select 1 from advanced)`;
      return this.#db
        .with("advanced", guard)
        .with("stored", (qc) =>
          qc
            .insertInto("secret_versions")
            .columns([
              "tenant_id",
              "environment_id",
              "name",
              "version",
              "created",
              "created_by",
              "deleted",
              "key_id",
              "wrapped_key",
              "iv",
              "ciphertext",
              "auth_tag",
              "digest",
              "digest_key_id",
            ])
            .expression((eb) =>
              eb
                .selectFrom("advanced")
                .select([
                  typed(p.tenantId, "text").as("tenant_id"),
                  typed(p.environmentId, "text").as("environment_id"),
                  typed(p.name, "text").as("name"),
                  typed(p.version, "integer").as("version"),
                  typed(p.now, "text").as("created"),
                  typed(p.actor, "text").as("created_by"),
                  sql<number>`0`.as("deleted"),
                  typed(p.keyId, "text").as("key_id"),
                  typed(p.wrappedKey, "bytea").as("wrapped_key"),
                  typed(p.iv, "bytea").as("iv"),
                  typed(p.ciphertext, "bytea").as("ciphertext"),
                  typed(p.authTag, "bytea").as("auth_tag"),
                  typed(p.digest, "bytea").as("digest"),
                  typed(p.digestKeyId, "text").as("digest_key_id"),
                ]),
            ),
        )
        .with("pruned", (qc) =>
          // The new version is not among the rows this part sees: one fewer older value kept.
          // (Its query creator also knows the WITH's parts; the statement names none of them.)
          pruneValueRows(qc as unknown as QueryCreator<Database>, p, maxVersions - 1)
            .where("version", ">=", p.oldestKept)
            .where(advanced),
        )
        .with("dropped", (qc) =>
          qc
            .deleteFrom("secret_versions")
            .where("tenant_id", "=", p.tenantId)
            .where("environment_id", "=", p.environmentId)
            .where("name", "=", p.name)
            .where("version", "<", p.oldestKept)
            .where(advanced),
        )
        .with("audited", (qc) =>
          qc
            .insertInto("audit_events")
            .columns(columns)
            .expression((eb) =>
              eb
                .selectFrom("advanced")
                .select(
                  columns.map((column) =>
                    typed(
                      p[`audit_${column}`],
                      INTEGER_COLUMNS.has(column) ? "integer" : "text",
                    ).as(column),
                  ),
                ),
            ),
        )
        .with("changed", (qc) =>
          qc
            .insertInto("change_events")
            .columns([
              "tenant_id",
              "environment_name",
              "secret_name",
              "action",
              "version",
              "at",
              "actor",
            ])
            .expression((eb) =>
              eb
                .selectFrom("advanced")
                .select([
                  typed(p.tenantId, "text").as("tenant_id"),
                  typed(p.environmentName, "text").as("environment_name"),
                  typed(p.name, "text").as("secret_name"),
                  sql<string>`'SET'`.as("action"),
                  typed(p.version, "integer").as("version"),
                  typed(p.now, "text").as("at"),
                  typed(p.actor, "text").as("actor"),
                ]),
            )
            .returning(["id", "environment_name", "action"]),
        )
        .with("delivered", (qc) =>
          qc
            .insertInto("webhook_deliveries")
            .columns(["webhook_id", "change_event_id", "status", "attempts", "next_attempt_at"])
            .expression((eb) =>
              eb
                .selectFrom("changed")
                .innerJoin("webhooks as w", (join) =>
                  join
                    .on(sql<boolean>`w.tenant_id = ${typed(p.tenantId, "text")}`)
                    .on("w.disabled_at", "is", null)
                    .on((on) =>
                      on.or([
                        on("w.environment_name", "is", null),
                        on("w.environment_name", "=", on.ref("changed.environment_name")),
                      ]),
                    )
                    .on((on) =>
                      on.or([
                        on("w.events", "is", null),
                        sql<boolean>`strpos(w.events, '"' || changed.action || '"') > 0`,
                      ]),
                    ),
                )
                .select([
                  "w.id",
                  "changed.id",
                  sql<string>`'PENDING'`.as("status"),
                  sql<number>`0`.as("attempts"),
                  typed(p.now, "text").as("next_attempt_at"),
                ]),
            ),
        )
        .selectFrom("advanced")
        .select("advanced");
    });
  }
}
