import {
  type Dispatch,
  type StateUpdater,
  useCallback,
  useEffect,
  useRef,
  useState,
} from "preact/hooks";

export interface Loaded<T> {
  /** The last read's result; null until the first read answers (kept when a later one fails). */
  data: T | null;
  /** Changes the data in place, e.g. to show a write at once, before the read after it. */
  setData: Dispatch<StateUpdater<T | null>>;
  /** Why the last read failed (null once one succeeds); the page's actions report here too. */
  problem: unknown;
  setProblem: Dispatch<StateUpdater<unknown>>;
  /** Reads again, after a write. */
  reload(): void;
}

/**
 * What a page shows: read by `load` on mount, again whenever `load` changes (wrap it in
 * `useCallback` with what it reads, so that a new filter or page is a new `load`), and on
 * `reload()`. Only the newest read's answer is kept; one that a newer read replaced is dropped.
 */
export function useLoad<T>(load: () => Promise<T>): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const reads = useRef(0);

  const read = useCallback(() => {
    const id = ++reads.current;
    load().then(
      (result) => {
        if (id !== reads.current) return;
        setData(() => result);
        setProblem(null);
      },
      (error: unknown) => id === reads.current && setProblem(error),
    );
  }, [load]);

  useEffect(() => {
    read();
    return () => {
      // Unmounted, or about to read with a new `load`: this read's answer is no longer wanted.
      reads.current++;
    };
  }, [read]);

  return { data, setData, problem, setProblem, reload: read };
}
