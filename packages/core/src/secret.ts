import type { StandardSchemaV1 } from "@standard-schema/spec";
import { activeConfiguration } from "./configuration.js";
import { Redacted } from "./redacted.js";
import { resolveExists, resolveRaw, resolveRawMany } from "./resolve.js";
import { assertSecretName } from "./secret-name.js";
import { decodeValue, encodeValue } from "./secret-value.js";
import { validateValue } from "./validate-value.js";

/** Options for {@link Secret}. */
export interface SecretOptions<T> {
  /**
   * Checks and types the value: any Standard Schema validator (zod, valibot, arktype, …). A value
   * that fails is a `SecretValidationError` naming the secret and the failing path, never the value.
   * @example
   * new Secret("DB", { schema: z.object({ user: z.string(), password: z.string() }) });
   */
  schema?: StandardSchemaV1<unknown, T>;
}

/**
 * A named secret. Its value is looked up on each read: in the current run context
 * ({@link withContext}), then in `[context.secrets]` of the config, then — only when
 * `backend = "cloud"` and `[cloud] use_local_secrets = false` — on the hush server.
 *
 * @example
 * const url = await new Secret("SLACK_WEBHOOK_URL").getString();
 * const aws = await new Secret("AWS_CREDENTIALS").get(); // '{"key":"…"}' comes back as an object
 * const db = await new Secret("DB", { schema: z.object({ password: z.string() }) }).get(); // typed
 */
export class Secret<T = unknown> {
  /** The secret's name. */
  readonly name: string;
  readonly #schema: StandardSchemaV1<unknown, T> | undefined;

  /** @throws {SecretError} `BAD_INPUT` when `name` is empty. */
  constructor(name: string, options: SecretOptions<T> = {}) {
    assertSecretName(name);
    this.name = name;
    this.#schema = options.schema;
  }

  /**
   * The value. A string that is JSON comes back parsed when that loses nothing (`"42"` → 42,
   * `'{"a":1}'` → `{ a: 1 }`, `'"42"'` → `"42"`; `"007"`, `"1e3"` and `"12345678901234567890"`
   * stay strings); other strings as they are; other values as a mutable copy.
   * With a `schema`, the value is checked and comes back as the schema outputs it; without one,
   * the type parameter only names the type you expect (`get<{ user: string }>()`), unchecked.
   *
   * @throws {SecretNotFoundError} when the secret is nowhere it may be looked up.
   * @throws {SecretValidationError} when the value does not match the schema.
   * @throws {SecretAccessError} when the server refuses the API token.
   * @throws {SecretServerError} when the server cannot be reached or fails.
   */
  async get<R = T>(): Promise<R> {
    const value = decodeValue(await resolveRaw(activeConfiguration(), this.name));
    if (this.#schema === undefined) return value as R;
    return (await validateValue(this.name, this.#schema, value)) as unknown as R;
  }

  /** The value as stored: strings as they are, anything else serialised as JSON. */
  async getString(): Promise<string> {
    return encodeValue(await resolveRaw(activeConfiguration(), this.name));
  }

  /** The value of {@link get}, wrapped so that printing or logging it shows `<redacted>`. */
  async getRedacted(): Promise<Redacted<T>> {
    return new Redacted(await this.get<T>());
  }

  /**
   * Whether the secret exists where {@link get} would look. Never throws for a missing name; asks
   * the server (its list of names) only when `get` would.
   */
  async exists(): Promise<boolean> {
    return resolveExists(activeConfiguration(), this.name);
  }

  /**
   * Several secrets' values by name, each as {@link Secret.get} returns it. Local secrets come
   * first; the rest are read from the server in one round trip.
   *
   * @throws {SecretNotFoundError} naming the first missing secret.
   * @example
   * const { DB_USER, DB_PASSWORD } = await Secret.getMany(["DB_USER", "DB_PASSWORD"]);
   */
  static async getMany(names: readonly string[]): Promise<Record<string, unknown>> {
    for (const name of names) assertSecretName(name);
    const raw = await resolveRawMany(activeConfiguration(), names);
    // fromEntries defines properties, so a secret named "__proto__" is an ordinary key.
    return Object.fromEntries(names.map((name) => [name, decodeValue(raw.get(name))]));
  }
}
