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
  const slices = new Slices();
  const write = async (item: unknown, levels: number): Promise<void> => {
    if (item instanceof RawJson) {
      parts.push(item.text);
      if (slices.full(item.text.length)) await nextTurn();
      return;
    }
    if (
      levels === 0 ||
      item === null ||
      typeof item !== "object" ||
      typeof (item as { toJSON?: unknown }).toJSON === "function"
    ) {
      const text = JSON.stringify(item);
      parts.push(text);
      if (slices.full(text.length)) await nextTurn();
      return;
    }
    if (Array.isArray(item)) {
      parts.push("[");
      for (let i = 0; i < item.length; i++) {
        if (i > 0) parts.push(",");
        // As JSON.stringify: what has no JSON form is null in an array.
        const entry: unknown = item[i];
        await write(entry === undefined || typeof entry === "function" ? null : entry, levels - 1);
      }
      parts.push("]");
      return;
    }
    parts.push("{");
    let first = true;
    for (const [key, entry] of Object.entries(item)) {
      // As JSON.stringify: what has no JSON form is left out of an object.
      if (entry === undefined || typeof entry === "function" || typeof entry === "symbol") continue;
      parts.push(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
      first = false;
      await write(entry, levels - 1);
    }
    parts.push("}");
  };
  await write(value, WALKED_LEVELS);
  return parts.join("");
}
