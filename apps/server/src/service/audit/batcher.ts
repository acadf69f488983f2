import type { Writer } from "../../storage/writer.js";
import type { AuditEntry, AuditInserts } from "./event-rows.js";

/**
 * Audit events written outside a write transaction (value reads, refusals) are sent to the
 * writer in groups, as one multi-row INSERT: the events of one turn of the event loop, and
 * while a group is being committed, every event that arrives until it is (group commit: one
 * message to the writer, one statement to compile, per commit instead of per turn). Each
 * caller's promise resolves once its events are committed, so a read is answered after its
 * audit event is stored; if the INSERT fails, every caller of that group gets the error.
 */
export class AuditBatcher {
  readonly #writer: Writer;
  readonly #inserts: AuditInserts;
  readonly #clock: () => Date;
  #gathering: { entries: AuditEntry[]; done: Promise<void> } | undefined;
  /** The group being committed; settles (never rejects) once it is. */
  #committing: Promise<void> = Promise.resolve();

  constructor(writer: Writer, inserts: AuditInserts, clock: () => Date) {
    this.#writer = writer;
    this.#inserts = inserts;
    this.#clock = clock;
  }

  /** Resolves once the events are committed. */
  write(entries: readonly AuditEntry[]): Promise<void> {
    let group = this.#gathering;
    if (group === undefined) {
      const gathered: AuditEntry[] = [];
      group = { entries: gathered, done: this.#send(gathered) };
      this.#gathering = group;
    }
    group.entries.push(...entries);
    return group.done;
  }

  async #send(entries: AuditEntry[]): Promise<void> {
    // Requests handled in this turn of the event loop join first, then those that arrive while
    // the group before this one commits.
    await new Promise((resolve) => setImmediate(resolve));
    await this.#committing;
    this.#gathering = undefined;
    const committed = this.#writer.runStatements(() =>
      this.#inserts.compile(this.#clock(), entries),
    );
    this.#committing = committed.then(
      () => {},
      () => {},
    );
    await committed;
  }
}
