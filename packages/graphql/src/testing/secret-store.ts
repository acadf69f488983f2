/** How many versions keep their value; older ones keep only their metadata, as on the server. */
export const KEPT_VALUES = 10;

export interface VersionRecord {
  readonly version: number;
  readonly created: string;
  readonly createdBy: string;
  readonly deleted: boolean;
  hasValue: boolean;
  value?: unknown;
}

export interface SecretRecord {
  readonly name: string;
  readonly created: string;
  readonly versions: VersionRecord[];
}

/** Who a write made directly through the Map (by a test) is attributed to. */
const DIRECT_WRITER = "fake-server";

/**
 * The fake tenant's secrets: a live `Map` from name to current value that also keeps each name's
 * version history, so that writes a test makes through `set`/`delete` show up as versions too.
 * Values are stored as their JSON round trip, as the real server stores them.
 */
export class SecretStore extends Map<string, unknown> {
  // Never constructed with entries: Map's constructor would call `set` before this field exists.
  readonly #records = new Map<string, SecretRecord>();

  override set(name: string, value: unknown): this {
    this.write(name, value, DIRECT_WRITER);
    return this;
  }

  override delete(name: string): boolean {
    if (!this.has(name)) return false;
    this.remove(name, DIRECT_WRITER);
    return true;
  }

  override clear(): void {
    for (const name of [...this.keys()]) this.delete(name);
  }

  /** Writes a new version; returns its number. */
  write(name: string, value: unknown, actor: string): number {
    const stored = jsonCopy(value);
    super.set(name, stored);
    return this.#append(name, actor, { deleted: false, value: stored });
  }

  /** Writes a deletion marker as a new version; returns its number. */
  remove(name: string, actor: string): number {
    super.delete(name);
    return this.#append(name, actor, { deleted: true });
  }

  /** The name's history, deleted or not; undefined when it was never set. */
  record(name: string): SecretRecord | undefined {
    return this.#records.get(name);
  }

  #append(name: string, actor: string, entry: { deleted: boolean; value?: unknown }): number {
    const history = this.#records;
    const now = new Date().toISOString();
    let record = history.get(name);
    if (record === undefined) {
      record = { name, created: now, versions: [] };
      history.set(name, record);
    }
    const version = (record.versions.at(-1)?.version ?? 0) + 1;
    record.versions.push({
      version,
      created: now,
      createdBy: actor,
      deleted: entry.deleted,
      hasValue: !entry.deleted,
      ...(entry.deleted ? {} : { value: entry.value }),
    });
    let kept = 0;
    for (let i = record.versions.length - 1; i >= 0; i--) {
      const old = record.versions[i]!;
      if (!old.hasValue) continue;
      kept++;
      if (kept > KEPT_VALUES) {
        old.hasValue = false;
        delete old.value;
      }
    }
    return version;
  }
}

function jsonCopy(value: unknown): unknown {
  const text = JSON.stringify(value);
  if (text === undefined) {
    throw new TypeError("A secret value must be JSON: a string, number, boolean, object or array.");
  }
  return JSON.parse(text);
}
