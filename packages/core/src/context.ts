import { AsyncLocalStorage } from "node:async_hooks";

/** What a run adds to the lookup: secrets that come before `[context.secrets]` and the server. */
export interface RunContext {
  /** Secrets for this run; they replace (not merge with) the secrets of an enclosing run. */
  readonly secrets?: Readonly<Record<string, unknown>>;
}

interface StoredContext {
  readonly secrets: Readonly<Record<string, unknown>> | undefined;
}

const storage = new AsyncLocalStorage<StoredContext>();

/**
 * Runs `fn` with `context` as the current run context. Everything `fn` awaits or schedules sees
 * it, and only that: concurrent runs never see each other's secrets. A nested run that gives
 * `secrets` replaces the outer run's secrets; one that does not keeps them.
 *
 * @example
 * await withContext({ secrets: { API_KEY: "test-key" } }, () => flow.run());
 */
export function withContext<R>(context: RunContext, fn: () => R): R {
  const secrets =
    context.secrets === undefined
      ? storage.getStore()?.secrets
      : // A shallow snapshot: keys the caller adds or replaces later do not reach a running flow.
        Object.freeze({ ...context.secrets });
  return storage.run({ secrets }, fn);
}

/** The current run's secrets, if a run set any. */
export function contextSecrets(): Readonly<Record<string, unknown>> | undefined {
  return storage.getStore()?.secrets;
}
