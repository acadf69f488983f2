import { setImmediate as nextTurn } from "node:timers/promises";
import { RawJson } from "../service/raw-json.js";

/** Resolves on the event loop's next turn, once pending I/O callbacks have run. */
export { nextTurn };

/**
 * How many bytes of JSON one request may parse or write in one turn of the event loop before it
 * lets the others in. JSON of many small keys is the slowest kind: 256 KiB of it parses in
 * about 10 ms on one idle core of the reference machine, so that even a request at the 8 MiB
 * budget keeps every stall well under 50 ms.
 */
export const SLICE_BYTES = 256 * 1024;

/** Counts one request's work, to tell when it has filled a slice and should yield. */
export class Slices {
  #pending = 0;

  /** Counts `bytes` more; true once they fill a slice (then `await nextTurn()`). */
  full(bytes: number): boolean {
    this.#pending += bytes;
    if (this.#pending < SLICE_BYTES) return false;
    this.#pending = 0;
    return true;
  }
}

// Levels of objects and arrays walked by stringifyInSlices: a response's data, its root fields
// and their entries (secretValues' values, a listing's rows). Below that, one JSON.stringify call
// writes a single value, which is at most the largest value accepted.
const WALKED_LEVELS = 4;

/**
 * `JSON.stringify(value)`, written a slice at a time: the event loop is let go between slices,
 * so a large answer does not stall every other request while it is serialised. A small answer
 * is written in one go, without waiting. A {@link RawJson} is written as its text.
 */
export async function stringifyInSlices(value: unknown): Promise<string> {
  const parts: string[] = [];
  let pending = 0;
  // The walk is synchronous; only a filled slice waits, so a small answer costs no promise.
  for (const piece of pieces(value, WALKED_LEVELS)) {
    parts.push(piece);
    pending += piece.length;
    if (pending >= SLICE_BYTES) {
      pending = 0;
      await nextTurn();
    }
  }
  return parts.length === 1 ? parts[0]! : parts.join("");
}

/** The JSON text of `item`, in pieces: walked `levels` deep, each value below in one piece. */
function* pieces(item: unknown, levels: number): Generator<string> {
  if (item instanceof RawJson) {
    yield item.text;
    return;
  }
  if (
    levels === 0 ||
    item === null ||
    typeof item !== "object" ||
    typeof (item as { toJSON?: unknown }).toJSON === "function"
  ) {
    yield JSON.stringify(item);
    return;
  }
  if (Array.isArray(item)) {
    yield "[";
    for (let i = 0; i < item.length; i++) {
      if (i > 0) yield ",";
      // As JSON.stringify: what has no JSON form is null in an array.
      const entry: unknown = item[i];
      yield* pieces(entry === undefined || typeof entry === "function" ? null : entry, levels - 1);
    }
    yield "]";
    return;
  }
  let first = true;
  yield "{";
  for (const key in item) {
    if (!Object.hasOwn(item, key)) continue;
    const entry: unknown = (item as Record<string, unknown>)[key];
    // As JSON.stringify: what has no JSON form is left out of an object.
    if (entry === undefined || typeof entry === "function" || typeof entry === "symbol") continue;
    yield first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`;
    first = false;
    yield* pieces(entry, levels - 1);
  }
  yield "}";
}
