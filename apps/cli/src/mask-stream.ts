import { ByteMatcher } from "./byte-matcher.js";
import { type MaskPattern, maskPatterns } from "./mask-patterns.js";

/**
 * How long output that could be the start of a value is held back, waiting for the rest, before
 * it is written as it is: long enough for a value written in two pieces, short enough for a
 * prompt. Also the longest a line of the other stream waits behind it.
 */
export const MASK_FLUSH_MS = 250;

/**
 * Output bytes, and the input offset they stand for: input that passes as it is (`raw`), or a
 * label, which stands at the start of what it masks.
 */
interface Piece {
  readonly at: number;
  readonly bytes: Uint8Array;
  readonly raw: boolean;
}

/** The secrets' patterns and their matcher, shared by a command's two streams. */
export class MaskRules {
  readonly matcher: ByteMatcher;
  readonly #labels: Buffer[];

  constructor(values: ReadonlyMap<string, string>) {
    const patterns: MaskPattern[] = maskPatterns(values);
    this.matcher = new ByteMatcher(patterns.map((p) => p.bytes));
    this.#labels = patterns.map((p) => Buffer.from(`<redacted:${p.name}>`));
  }

  label(pattern: number): Buffer {
    return this.#labels[pattern] ?? Buffer.alloc(0);
  }
}

/**
 * The masking of one output stream. Holds back only the bytes that could be the start of a value
 * (at most the longest pattern's length − 1); `flush` lets them go as they are, but keeps them as
 * context, so that the rest of a value that was flushed half-way is still masked when it comes.
 */
class StreamMasker {
  #pending: Buffer = Buffer.alloc(0);
  /** The input offset of `#pending[0]`. */
  #base = 0;
  /** Input before this offset has been decided (written, masked or as it is). */
  #decided = 0;
  /** Input before this offset that matched was covered by a label already written. */
  #labelledUntil = 0;

  constructor(private readonly rules: MaskRules) {}

  /** The input offset after the last byte received. */
  get received(): number {
    return this.#base + this.#pending.length;
  }

  /** Input before this offset has been decided. */
  get decided(): number {
    return this.#decided;
  }

  write(chunk: Buffer): Piece[] {
    return this.#decide(Buffer.concat([this.#pending, chunk]), false);
  }

  flush(): Piece[] {
    return this.#decide(this.#pending, true);
  }

  #decide(data: Buffer, all: boolean): Piece[] {
    const { runs, pending } = this.rules.matcher.scan(data);
    const keepFrom = data.length - pending;
    const cut = all ? data.length : keepFrom;
    const pieces: Piece[] = [];
    let pos = this.#decided - this.#base;
    for (const run of runs) {
      if (run.end <= pos) continue;
      // A match that starts in the held bytes is found again with the next input.
      if (run.start >= cut) break;
      if (run.start > pos) {
        pieces.push({ at: this.#base + pos, bytes: data.subarray(pos, run.start), raw: true });
        pos = run.start;
      }
      // One label per run: none when it continues a run already labelled; when its start was
      // flushed as it was, the label replaces the rest.
      if (this.#base + run.start >= this.#labelledUntil) {
        pieces.push({ at: this.#base + pos, bytes: this.rules.label(run.pattern), raw: false });
      }
      pos = run.end;
      this.#labelledUntil = this.#base + run.end;
    }
    if (cut > pos) {
      pieces.push({ at: this.#base + pos, bytes: data.subarray(pos, cut), raw: true });
      pos = cut;
    }
    this.#decided = this.#base + pos;
    // A copy: a subarray would keep the whole chunk alive.
    this.#pending = Buffer.from(data.subarray(keepFrom));
    this.#base += keepFrom;
    return pieces.map((p) => ({ ...p, bytes: Buffer.from(p.bytes) }));
  }
}

/** A stretch of one stream's input, in the order it arrived among both streams' input. */
interface Slot {
  readonly stream: 0 | 1;
  readonly to: number;
  out: Uint8Array[];
}

/** Where masked output goes, and how to slow the command down while it cannot take more. */
export interface MaskedSinks {
  /** Writes to stdout (0) or stderr (1); false asks for `pause` until `drained`. */
  write(stream: 0 | 1, bytes: Uint8Array): boolean;
  pause(): void;
  resume(): void;
}

/**
 * Masks a command's stdout and stderr, keeping the order in which their output arrived: output
 * that arrives on one stream while the other holds back the possible start of a value waits for
 * it to be decided (by more output, or after {@link MASK_FLUSH_MS}), so that masking never
 * reorders the two streams. `end` writes everything left.
 */
export class MaskedOutput {
  readonly #maskers: [StreamMasker, StreamMasker];
  /** Both streams' input stretches, in arrival order, waiting to be written. */
  readonly #slots: Slot[] = [];
  /** Each stream's slots not yet decided, in order. */
  readonly #open: [Slot[], Slot[]] = [[], []];
  #timer: NodeJS.Timeout | undefined;
  #paused = false;

  constructor(
    rules: MaskRules,
    private readonly sinks: MaskedSinks,
    private readonly flushMs = MASK_FLUSH_MS,
  ) {
    this.#maskers = [new StreamMasker(rules), new StreamMasker(rules)];
  }

  write(stream: 0 | 1, chunk: Buffer): void {
    if (chunk.length === 0) return;
    const masker = this.#maskers[stream];
    const slot: Slot = { stream, to: masker.received + chunk.length, out: [] };
    this.#slots.push(slot);
    this.#open[stream].push(slot);
    this.#place(stream, masker.write(chunk));
    this.#drain();
    this.#schedule();
  }

  /** Writes everything held back: the command has ended. */
  end(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#flushAll();
  }

  #flushAll(): void {
    for (const stream of [0, 1] as const) this.#place(stream, this.#maskers[stream].flush());
    this.#drain();
  }

  /** Puts each piece in the slot of the input it stands for, and closes the decided slots. */
  #place(stream: 0 | 1, pieces: Piece[]): void {
    const open = this.#open[stream];
    const decided = this.#maskers[stream].decided;
    for (const piece of pieces) {
      let { at, bytes } = piece;
      for (;;) {
        while (open.length > 1 && at >= (open[0] as Slot).to) open.shift();
        const slot = open[0];
        if (slot === undefined) break;
        // Input that passes as it is goes to the slots it came in, split where they meet.
        if (!piece.raw || open.length === 1 || at + bytes.length <= slot.to) {
          slot.out.push(bytes);
          break;
        }
        slot.out.push(bytes.subarray(0, slot.to - at));
        bytes = bytes.subarray(slot.to - at);
        at = slot.to;
      }
    }
    while (open.length > 0 && (open[0] as Slot).to <= decided) open.shift();
  }

  /**
   * Writes the output of the slots at the front, up to and with the first one not decided yet:
   * of that one, what is decided so far.
   */
  #drain(): void {
    while (this.#slots.length > 0) {
      const slot = this.#slots[0] as Slot;
      for (const bytes of slot.out.splice(0)) {
        if (!this.sinks.write(slot.stream, bytes) && !this.#paused) {
          this.#paused = true;
          this.sinks.pause();
        }
      }
      if (this.#open[slot.stream][0] === slot) break;
      this.#slots.shift();
    }
  }

  /** Called by the sinks' owner when they can take more output. */
  drained(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.sinks.resume();
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#slots.length === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // After the loop's next poll for input: output that came in the meantime is read first.
      setImmediate(() => {
        if (this.#timer === undefined) this.#flushAll();
      });
    }, this.flushMs);
  }
}
