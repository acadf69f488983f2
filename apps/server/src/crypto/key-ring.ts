import { createHash } from "node:crypto";
import { DataKeyCache } from "./data-key-cache.js";
import { MasterKeyError } from "./errors.js";

/** The length of an AES-256 key in bytes. */
export const KEY_BYTES = 32;

/** A master key and its id. The id is stored beside every data key it wraps. */
export interface MasterKey {
  readonly id: string;
  readonly key: Buffer;
}

/**
 * A short, stable id for a master key: the first 16 hex digits of a domain-separated SHA-256 of
 * the key. It tells keys apart without revealing anything useful about them.
 */
export function masterKeyId(key: Buffer): string {
  return createHash("sha256").update("hush master key id\0").update(key).digest("hex").slice(0, 16);
}

/** The keys of a ring and which one is current (the first when not said). */
export interface KeyRingContents {
  readonly keys: readonly MasterKey[];
  readonly currentId?: string | undefined;
}

/**
 * The master keys a server holds: the current one wraps new data keys; the others still unwrap
 * data keys written before a rotation. A ring read from a file can be reloaded while the server
 * runs, so that a rotation needs no restart: on request (a notification, the file changing) and
 * whenever a row names a key the ring lacks.
 */
export class KeyRing {
  #current!: MasterKey;
  #keys!: ReadonlyMap<string, MasterKey>;
  readonly #load: (() => KeyRingContents) | undefined;
  /**
   * The data keys these master keys unwrapped; emptied whenever the ring's keys change (a
   * rotation), never logged or serialised.
   */
  readonly dataKeys = new DataKeyCache();

  constructor(
    keys: readonly MasterKey[],
    currentId?: string,
    options: { load?: () => KeyRingContents } = {},
  ) {
    this.#load = options.load;
    this.#set({ keys, currentId });
  }

  /** A ring holding one key. */
  static of(key: Buffer): KeyRing {
    return new KeyRing([{ id: masterKeyId(key), key }]);
  }

  /** A ring that `reload()` reads again through `load`. */
  static loaded(load: () => KeyRingContents): KeyRing {
    const { keys, currentId } = load();
    return new KeyRing(keys, currentId, { load });
  }

  get current(): MasterKey {
    return this.#current;
  }

  /** Whether `reload()` can learn new keys (a ring from a file can; one from the environment cannot). */
  get reloadable(): boolean {
    return this.#load !== undefined;
  }

  /** The key with this id; a reloadable ring that lacks it reads its source again first. */
  get(id: string): MasterKey | undefined {
    const found = this.#keys.get(id);
    if (found !== undefined || this.#load === undefined) return found;
    try {
      this.reload();
    } catch {
      // The source is unreadable right now: the caller reports the missing key.
    }
    return this.#keys.get(id);
  }

  get ids(): string[] {
    return [...this.#keys.keys()];
  }

  /** Reads the source again; true when the keys or the current key changed. */
  reload(): boolean {
    if (this.#load === undefined) return false;
    const before = `${this.#current.id}|${this.ids.join(",")}`;
    this.#set(this.#load());
    return `${this.#current.id}|${this.ids.join(",")}` !== before;
  }

  #set({ keys, currentId }: KeyRingContents): void {
    const first = keys[0];
    if (first === undefined) throw new MasterKeyError("No master key was given.");
    const byId = new Map(keys.map((k) => [k.id, k]));
    const current = currentId === undefined ? first : byId.get(currentId);
    if (current === undefined) {
      throw new MasterKeyError(
        `The current master key ${currentId} is not among the keys given; fix the key file.`,
      );
    }
    this.#keys = byId;
    this.#current = current;
    // A rotation or retirement: no unwrapped data key outlives the keys it was read with.
    this.dataKeys.clear();
  }

  // Keys must never show up in logs or inspected objects.
  toJSON(): unknown {
    return { keyIds: this.ids, current: this.current.id };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `KeyRing { current: ${this.current.id}, keys: [${this.ids.join(", ")}] }`;
  }
}
