import { currentEnv } from "./configuration.js";
import { SecretError, SecretErrorCode, SecretNotFoundError } from "./errors.js";
import { Redacted } from "./redacted.js";
import { assertSecretName } from "./secret-name.js";

/** Options for {@link EnvVarSecret}. */
export interface EnvVarSecretOptions<T, Required extends boolean = boolean> {
  /** Turns the variable's string into the value, e.g. `Number` or `JSON.parse`. */
  cast?: (value: string) => T;
  /**
   * Whether a missing variable is an error rather than `undefined`.
   * @default false
   */
  required?: Required;
}

/** What {@link EnvVarSecret.get} resolves to: `undefined` is possible unless `required: true`. */
type EnvValue<T, Required extends boolean> = Required extends true ? T : T | undefined;

/**
 * A secret read from an environment variable (Prefect's `EnvVarSecret`): the configured
 * environment (`configure({ env })`, else `process.env`), no JSON parsing, an optional `cast`.
 *
 * @example
 * const port = await new EnvVarSecret("PORT", { cast: Number }).get();
 * const token = await new EnvVarSecret("GITHUB_TOKEN", { required: true }).get(); // string
 */
export class EnvVarSecret<T = string, Required extends boolean = false> {
  /** The environment variable's name. */
  readonly name: string;
  readonly #cast: ((value: string) => T) | undefined;
  readonly #required: boolean;

  /** @throws {SecretError} `BAD_INPUT` when `name` is empty. */
  constructor(name: string, options: EnvVarSecretOptions<T, Required> = {}) {
    assertSecretName(name);
    this.name = name;
    this.#cast = options.cast;
    this.#required = options.required ?? false;
  }

  /**
   * The variable's value, cast when a `cast` was given; `undefined` when it is not set (typed
   * without `undefined` when `required: true`).
   *
   * @throws {SecretNotFoundError} when it is not set and `required` is true.
   * @throws {SecretError} `CAST_FAILED` when `cast` throws.
   */
  async get(): Promise<EnvValue<T, Required>> {
    const raw = currentEnv()[this.name];
    if (raw === undefined) {
      if (this.#required) {
        throw new SecretNotFoundError(this.name, `Environment variable not set: ${this.name}`);
      }
      // Only reached when not required, where the type includes undefined.
      return undefined as EnvValue<T, Required>;
    }
    if (this.#cast === undefined) return raw as T;
    try {
      return this.#cast(raw);
    } catch (error) {
      // No cause: a parser's message may quote the value (JSON.parse does).
      const kind = error instanceof Error ? error.name : typeof error;
      throw new SecretError(
        SecretErrorCode.CAST_FAILED,
        `Environment variable ${this.name} is set, but cast ${this.#cast.name || "(anonymous)"} failed on its value with ${kind}. Check the variable's format.`,
      );
    }
  }

  /** The value of {@link get}, wrapped so that printing or logging it shows `<redacted>`. */
  async getRedacted(): Promise<Redacted<EnvValue<T, Required>>> {
    return new Redacted(await this.get());
  }

  /** Whether the variable is set. */
  async exists(): Promise<boolean> {
    return currentEnv()[this.name] !== undefined;
  }
}
