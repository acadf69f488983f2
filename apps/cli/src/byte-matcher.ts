/** A stretch of bytes covered by one or more overlapping matches. */
export interface MatchRun {
  readonly start: number;
  readonly end: number;
  /** The longest pattern matched in the run. */
  readonly pattern: number;
}

// States this shallow get a full 256-entry row (failure links resolved in advance): almost every
// byte of ordinary output leaves or re-enters one of them, so they must cost one array read.
// Deeper states, where patterns have diverged, keep their few edges and follow failure links.
const DENSE_DEPTH = 2;
const MAX_DENSE_STATES = 8192;

/**
 * Aho–Corasick over bytes: finds every occurrence of many patterns in one pass, in time linear in
 * the input whatever the number of patterns. `scan` also tells how many bytes at the end of the
 * input could be the start of a pattern (the longest suffix that is a prefix of one), which is
 * what a stream must hold back until more input shows whether it is.
 *
 * Home-made because the npm implementations match JavaScript strings (UTF-16 units), not bytes,
 * and none reports that suffix; a child's output is bytes, split anywhere.
 */
export class ByteMatcher {
  readonly #lengths: Int32Array;
  readonly #dense: Int32Array;
  readonly #denseStates: number;
  readonly #edgeStart: Int32Array;
  readonly #edgeByte: Uint8Array;
  readonly #edgeTo: Int32Array;
  readonly #fail: Int32Array;
  readonly #depth: Int32Array;
  /** The longest pattern that ends at each state, or -1. */
  readonly #best: Int32Array;

  constructor(patterns: readonly Uint8Array[]) {
    this.#lengths = Int32Array.from(patterns, (p) => p.length);
    // The trie, in insertion order, children as linked lists (a Map per state costs ten times more
    // to build, and --mask builds this before the command's first output).
    const firstChild: number[] = [-1];
    const nextSibling: number[] = [-1];
    const byteOf: number[] = [0];
    const terminal: number[] = [-1];
    const rootChild = new Int32Array(256).fill(-1);
    patterns.forEach((pattern, index) => {
      if (pattern.length === 0) return;
      let state = 0;
      for (let i = 0; i < pattern.length; i++) {
        const byte = pattern[i] as number;
        let next = state === 0 ? (rootChild[byte] as number) : (firstChild[state] as number);
        if (state !== 0) {
          while (next >= 0 && byteOf[next] !== byte) next = nextSibling[next] as number;
        }
        if (next < 0) {
          next = byteOf.length;
          byteOf.push(byte);
          terminal.push(-1);
          firstChild.push(-1);
          nextSibling.push(firstChild[state] as number);
          firstChild[state] = next;
          if (state === 0) rootChild[byte] = next;
        }
        state = next;
      }
      terminal[state] = index;
    });
    // Renumber breadth-first, so that the shallow (dense) states come first.
    const count = byteOf.length;
    const order = new Int32Array(count);
    const depthOld = new Int32Array(count);
    const id = new Int32Array(count);
    let queued = 1;
    for (let i = 0; i < queued; i++) {
      const state = order[i] as number;
      id[state] = i;
      for (let c = firstChild[state] as number; c >= 0; c = nextSibling[c] as number) {
        depthOld[c] = (depthOld[state] as number) + 1;
        order[queued++] = c;
      }
    }
    let denseStates = 0;
    while (
      denseStates < count &&
      denseStates < MAX_DENSE_STATES &&
      (depthOld[order[denseStates] as number] as number) <= DENSE_DEPTH
    ) {
      denseStates++;
    }
    this.#denseStates = denseStates;

    this.#depth = new Int32Array(count);
    this.#fail = new Int32Array(count);
    this.#best = new Int32Array(count).fill(-1);
    this.#edgeStart = new Int32Array(count + 1);
    this.#edgeByte = new Uint8Array(count - 1);
    this.#edgeTo = new Int32Array(count - 1);
    this.#dense = new Int32Array(denseStates * 256);
    let edges = 0;
    for (let i = 0; i < count; i++) {
      const old = order[i] as number;
      this.#depth[i] = depthOld[old] as number;
      this.#edgeStart[i] = edges;
      for (let c = firstChild[old] as number; c >= 0; c = nextSibling[c] as number) {
        this.#edgeByte[edges] = byteOf[c] as number;
        this.#edgeTo[edges] = id[c] as number;
        edges++;
      }
    }
    this.#edgeStart[count] = edges;
    // Failure links and dense rows, breadth-first: a state's failure is shallower, so done first.
    for (let s = 0; s < count; s++) {
      const own = terminal[order[s] as number] as number;
      this.#best[s] =
        own >= 0 ? own : s === 0 ? -1 : (this.#best[this.#fail[s] as number] as number);
      if (s < denseStates) {
        const row = s * 256;
        const failRow = (this.#fail[s] as number) * 256;
        for (let byte = 0; byte < 256; byte++) {
          this.#dense[row + byte] = s === 0 ? 0 : (this.#dense[failRow + byte] as number);
        }
      }
      for (let e = this.#edgeStart[s] as number; e < (this.#edgeStart[s + 1] as number); e++) {
        const byte = this.#edgeByte[e] as number;
        const next = this.#edgeTo[e] as number;
        if (s < denseStates) this.#dense[s * 256 + byte] = next;
        this.#fail[next] = s === 0 ? 0 : this.#next(this.#fail[s] as number, byte);
      }
    }
  }

  /** The length of pattern `index`. */
  length(index: number): number {
    return this.#lengths[index] ?? 0;
  }

  /**
   * The runs of overlapping matches in `data`, in order, and how many bytes at its end could be
   * the start of a match that more input would complete.
   */
  scan(data: Uint8Array): { runs: MatchRun[]; pending: number } {
    const runs: MatchRun[] = [];
    const best = this.#best;
    const dense = this.#dense;
    const denseStates = this.#denseStates;
    let state = 0;
    for (let i = 0; i < data.length; i++) {
      const byte = data[i] as number;
      state = state < denseStates ? (dense[state * 256 + byte] as number) : this.#next(state, byte);
      const found = best[state] as number;
      if (found >= 0) this.#add(runs, i + 1, found);
    }
    return { runs, pending: this.#depth[state] as number };
  }

  #next(from: number, byte: number): number {
    let state = from;
    for (;;) {
      if (state < this.#denseStates) return this.#dense[state * 256 + byte] as number;
      const end = this.#edgeStart[state + 1] as number;
      for (let e = this.#edgeStart[state] as number; e < end; e++) {
        if (this.#edgeByte[e] === byte) return this.#edgeTo[e] as number;
      }
      state = this.#fail[state] as number;
    }
  }

  /** Adds the match of `pattern` ending at `end`, merged with the runs it overlaps. */
  #add(runs: MatchRun[], end: number, pattern: number): void {
    let start = end - this.length(pattern);
    let longest = pattern;
    let last = runs.at(-1);
    while (last !== undefined && last.end > start) {
      runs.pop();
      start = Math.min(start, last.start);
      // On a tie, the one that starts first.
      if (this.length(last.pattern) >= this.length(longest)) longest = last.pattern;
      last = runs.at(-1);
    }
    runs.push({ start, end, pattern: longest });
  }
}
