/**
 * The base of every error hush throws. `code` is stable and machine-readable; the message says
 * what happened and what to do next, and never contains a secret value or an API token. Each
 * subclass sets its `name` itself (`override readonly name: string = "ConfigError"`), so that a
 * bundle that shortens class names (the `hush` CLI's) still prints the real one.
 *
 * @example
 * try { await new Secret("API_KEY").get(); }
 * catch (error) { if (error instanceof HushError && error.code === "NOT_FOUND") … }
 */
export class HushError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Whether `error` is a {@link HushError}, optionally with the given code. */
export function isHushError(error: unknown, code?: string): error is HushError {
  return error instanceof HushError && (code === undefined || error.code === code);
}
