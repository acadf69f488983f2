import { sql } from "kysely";
import type { DialectName } from "../../storage/schema.js";
import type {
  EnvCaller,
  SecretChangeAction,
  SecretChangeRecord,
  SecretChangesPage,
} from "../contract.js";
import { checkLimit, checkListSize } from "../limits.js";
import type { ServiceContext } from "../service-context.js";
import { badInput, validateSecretName } from "../validation.js";
import type { ChangeWaiters } from "./change-waiters.js";

/** The longest a poll may hold an empty answer, in seconds. */
export const MAX_WAIT_SECONDS = 25;

/** How many days change events are kept (the retention sweep deletes older ones). */
export const CHANGE_EVENTS_KEPT_DAYS = 7;

/** The arguments of `secretChanges` besides the environment. */
export interface SecretChangesQuery {
  after?: string | null | undefined;
  names?: readonly string[] | null | undefined;
  waitSeconds?: number | null | undefined;
  limit?: number | null | undefined;
}

const CURSOR = /^(0|[1-9][0-9]{0,17})$/;

/**
 * A change's place in its tenant's commit order, which is what cursors and `SecretChange.id`
 * are (see `ChangeLog`): on PostgreSQL the `seq` its commit gave it, on SQLite (one writer, ids
 * taken in commit order) its id. `table`: what the query calls `change_events`, if not that.
 */
export function changeSeq(backend: DialectName, table = "change_events") {
  return sql.ref<number | string>(`${table}.${backend === "postgres" ? "seq" : "id"}`);
}

/** The columns `toChangeRecord` reads, of `change_events` joined as `e`. */
export function changeColumns(backend: DialectName) {
  return [
    changeSeq(backend, "e").as("seq"),
    "e.environment_name",
    "e.secret_name",
    "e.action",
    "e.version",
    "e.at",
    "e.actor",
  ] as const;
}

/** A row of `change_events` as the API shows it; `seq` is its `changeSeq`. */
export interface ChangeEventRow {
  seq: number | string;
  environment_name: string;
  secret_name: string | null;
  action: string;
  version: number | null;
  at: string;
  actor: string;
}

export function toChangeRecord(tenant: string, row: ChangeEventRow): SecretChangeRecord {
  return {
    id: String(row.seq),
    tenant,
    environment: row.environment_name,
    name: row.secret_name,
    action: row.action as SecretChangeAction,
    version: row.version,
    at: new Date(row.at),
    actor: row.actor,
  };
}

/**
 * Following one environment's changes after a cursor (`secretChanges`): a page at once when
 * there is one, else a long poll held until a change of the tenant comes (`ChangeWaiters`) or
 * `waitSeconds` pass. Cursors follow commit order within a tenant (`changeSeq`), so "after the
 * cursor" never skips a change.
 */
export class SecretChanges {
  readonly #context: ServiceContext;
  readonly #waiters: ChangeWaiters;

  constructor(context: ServiceContext, waiters: ChangeWaiters) {
    this.#context = context;
    this.#waiters = waiters;
  }

  async follow(caller: EnvCaller, query: SecretChangesQuery): Promise<SecretChangesPage> {
    const limit = checkLimit(query.limit) ?? 100;
    const waitSeconds = query.waitSeconds ?? 0;
    if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
      throw badInput(
        `waitSeconds must be a whole number from 0 to ${MAX_WAIT_SECONDS}; poll again for longer.`,
        { argument: "waitSeconds" },
      );
    }
    let names: string[] | undefined;
    if (query.names != null) {
      checkListSize("names", query.names);
      names = query.names.map((name) => validateSecretName(name));
      if (names.length === 0) {
        throw badInput("names must list at least one secret; omit it for every secret.", {
          argument: "names",
        });
      }
    }
    const after =
      query.after == null
        ? await this.#newest(caller.tenantId)
        : await this.#kept(caller, query.after);
    const deadline = Date.now() + waitSeconds * 1000;
    // Subscribed before reading: a change committed while the page is read wakes the wait.
    const wait =
      waitSeconds > 0 ? this.#waiters.subscribe(caller.tenantId, caller.tokenId) : undefined;
    try {
      for (;;) {
        const changes = await this.#page(caller, after, names, limit);
        const left = deadline - Date.now();
        if (changes.length > 0 || wait === undefined || left <= 0 || this.#waiters.closed) {
          return { changes, cursor: changes.at(-1)?.id ?? after };
        }
        await wait.until(left);
      }
    } finally {
      wait?.end();
    }
  }

  /** The tenant's newest change, "0" when it has none: only later changes follow it. */
  async #newest(tenantId: string): Promise<string> {
    const row = await this.#context.db
      .selectFrom("change_events")
      .select((eb) => eb.fn.max(this.#seq()).as("seq"))
      .where("tenant_id", "=", tenantId)
      .executeTakeFirst();
    return row?.seq == null ? "0" : String(row.seq);
  }

  /** `after` when it is a change of the tenant still kept (or "0"); else BAD_USER_INPUT. */
  async #kept(caller: EnvCaller, after: string): Promise<string> {
    if (typeof after !== "string" || !CURSOR.test(after)) {
      throw badInput(
        "after must be a cursor from an earlier secretChanges answer; omit it to start from the newest change.",
        { argument: "after" },
      );
    }
    if (after === "0") return after;
    const row = await this.#context.db
      .selectFrom("change_events")
      .select("id")
      .where("tenant_id", "=", caller.tenantId)
      .where(this.#seq(), "=", sql<number>`${after}`)
      .executeTakeFirst();
    if (row === undefined) {
      throw badInput(
        `The cursor ${after} is not a change this server still keeps (changes are kept ${CHANGE_EVENTS_KEPT_DAYS} days): changes since may be lost. Start again without after, and read the current values again.`,
        { argument: "after" },
      );
    }
    return after;
  }

  async #page(
    caller: EnvCaller,
    after: string,
    names: readonly string[] | undefined,
    limit: number,
  ): Promise<SecretChangeRecord[]> {
    const seq = changeSeq(this.#context.backend, "e");
    let q = this.#context.db
      .selectFrom("change_events as e")
      .select(changeColumns(this.#context.backend))
      .where("e.tenant_id", "=", caller.tenantId)
      .where("e.environment_name", "=", caller.environmentName)
      .where(seq, ">", sql<number>`${after}`);
    if (names !== undefined) {
      q = q.where((eb) =>
        eb.or([eb("e.secret_name", "is", null), eb("e.secret_name", "in", names)]),
      );
    }
    const rows = await q.orderBy(seq).limit(limit).execute();
    return rows.map((row) => toChangeRecord(caller.tenantName, row));
  }

  #seq() {
    return changeSeq(this.#context.backend);
  }
}
