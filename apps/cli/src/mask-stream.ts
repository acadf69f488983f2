import { Transform, type TransformCallback } from "node:stream";

/** Values shorter than this are not masked: they would match ordinary text. */
export const MIN_MASKED_LENGTH = 4;

/**
 * A stream that replaces every occurrence of a secret value by `<redacted:NAME>`, also when the
 * value arrives split across chunks: bytes that could be the start of a value are held back until
 * the next chunk shows whether they are. Works on bytes, so output that is not text passes as is.
 */
export class MaskStream extends Transform {
  readonly #needles: ReadonlyArray<{ bytes: Buffer; label: Buffer }>;
  #pending: Buffer = Buffer.alloc(0);

  constructor(values: ReadonlyMap<string, string>) {
    super();
    this.#needles = [...values]
      .filter(([, value]) => value.length >= MIN_MASKED_LENGTH)
      .map(([name, value]) => ({
        bytes: Buffer.from(value),
        label: Buffer.from(`<redacted:${name}>`),
      }))
      // Longest first, so a value that contains another is masked whole.
      .sort((a, b) => b.bytes.length - a.bytes.length);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const data = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    const { out, rest } = this.#mask(data, false);
    this.#pending = rest;
    if (out.length > 0) this.push(out);
    done();
  }

  override _flush(done: TransformCallback): void {
    const { out } = this.#mask(this.#pending, true);
    this.#pending = Buffer.alloc(0);
    if (out.length > 0) this.push(out);
    done();
  }

  #mask(data: Buffer, final: boolean): { out: Buffer; rest: Buffer } {
    const parts: Buffer[] = [];
    let pos = 0;
    for (;;) {
      let best: { at: number; needle: { bytes: Buffer; label: Buffer } } | undefined;
      for (const needle of this.#needles) {
        const at = data.indexOf(needle.bytes, pos);
        if (at >= 0 && (best === undefined || at < best.at)) best = { at, needle };
      }
      if (best === undefined) break;
      parts.push(data.subarray(pos, best.at), best.needle.label);
      pos = best.at + best.needle.bytes.length;
    }
    const held = final ? 0 : this.#heldBack(data, pos);
    parts.push(data.subarray(pos, data.length - held));
    return { out: Buffer.concat(parts), rest: Buffer.from(data.subarray(data.length - held)) };
  }

  /** How many bytes at the end of `data` (after `from`) could be the start of a value. */
  #heldBack(data: Buffer, from: number): number {
    const longest = this.#needles[0]?.bytes.length ?? 0;
    for (let length = Math.min(longest - 1, data.length - from); length > 0; length--) {
      const tail = data.subarray(data.length - length);
      if (
        this.#needles.some(
          (n) => n.bytes.length > length && n.bytes.subarray(0, length).equals(tail),
        )
      ) {
        return length;
      }
    }
    return 0;
  }
}
