import type { Writer } from "../../storage/writer.js";
import type { AuditEntry, AuditInserts } from "./event-rows.js";

/**
 * Audit events written outside a write transaction (value reads, refusals) during one turn of
 * the event loop go to the writer as one multi-row INSERT, which it may commit together with
 * those of other turns (see {@link Writer.runStatements}). Each caller's promise resolves once
 * its events are committed, so a read is answered after its audit event is stored; if the
 * INSERT fails, every caller of that turn gets the error.
 */
export class AuditBatcher {
  readonly #writer: Writer;
  readonly #inserts: AuditInserts;
  readonly #clock: () => Date;
  #gathering: { entries: AuditEntry[]; done: Promise<void> } | undefined;

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
    // Requests handled in this turn of the event loop join first.
    await new Promise((resolve) => setImmediate(resolve));
    this.#gathering = undefined;
    await this.#writer.runStatements(() => this.#inserts.compile(this.#clock(), entries));
  }
}
