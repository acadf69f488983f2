const PLACEHOLDER = "<redacted>";

/**
 * A value that prints as `<redacted>`: in `String()`, template strings, `JSON.stringify`, and
 * `util.inspect` / `console.log`. Call {@link Redacted.value} where the real value is needed.
 *
 * @example
 * const token = await new Secret("GITHUB_TOKEN").getRedacted();
 * console.log({ token });                // { token: <redacted> }
 * await fetch(url, { headers: { authorization: `Bearer ${token.value()}` } });
 */
export class Redacted<T = unknown> {
  // A private field: invisible to inspect, enumeration, structured logging and spreading.
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  /** The real value. */
  value(): T {
    return this.#value;
  }

  /** @returns `"<redacted>"` */
  toString(): string {
    return PLACEHOLDER;
  }

  /** @returns `"<redacted>"` */
  toJSON(): string {
    return PLACEHOLDER;
  }

  [Symbol.toPrimitive](): string {
    return PLACEHOLDER;
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return PLACEHOLDER;
  }
}
