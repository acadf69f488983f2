import { type Kysely, sql } from "kysely";
import type { Logger } from "pino";
import { CHANGES_CHANNEL } from "../../storage/change-notifications.js";
import type { Database } from "../../storage/schema.js";
import { changesNotice } from "./change-log.js";

/**
 * Tells the other replicas (PostgreSQL) which tenants have new change events, after the writes
 * committed, in one statement per event-loop turn for all the tenants of that turn.
 *
 * A `pg_notify` inside a write's transaction takes PostgreSQL's one cluster-wide notify lock at
 * commit and holds it through the commit's flush, so every notifying commit waited for the one
 * before: with 32 writers to one tenant it cost about a sixth of the acknowledged writes.
 * A notice only wakes other replicas' long polls and delivery workers early (they look again on
 * their own within `waitSeconds` and the worker's interval), so it may come a moment after the
 * commit, and one lost to a failure costs a delay, never a change: the failure is logged.
 */
export class ReplicaNotices {
  readonly #db: Kysely<Database>;
  readonly #logger: Logger | undefined;
  #pending = new Set<string>();
  #scheduled = false;
  /** The notices being sent, for `flush`. */
  #sending: Promise<void> = Promise.resolve();

  constructor(db: Kysely<Database>, logger: Logger | undefined) {
    this.#db = db;
    this.#logger = logger;
  }

  /** Queues a notice of `tenantId`'s new changes, sent with the others of this turn. */
  add(tenantId: string): void {
    this.#pending.add(tenantId);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#sending = this.#send();
    });
  }

  /** Resolves once every queued notice was sent (before the database closes). */
  async flush(): Promise<void> {
    while (this.#scheduled || this.#pending.size > 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.#sending;
  }

  async #send(): Promise<void> {
    this.#scheduled = false;
    const notices = [...this.#pending].map(changesNotice);
    this.#pending = new Set();
    try {
      await sql`select pg_notify(${CHANGES_CHANNEL}, notice) from unnest(${notices}::text[]) as notice`.execute(
        this.#db,
      );
    } catch (error) {
      this.#logger?.warn(
        { err: error, tenants: notices.length },
        "could not tell the other replicas of new changes; their long polls see them at their next look",
      );
    }
  }
}
