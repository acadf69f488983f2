/**
 * The part of the `@hush/graphql` client that `Secret` uses. Pass any object of this shape to
 * `configure({ client })`, e.g. a client with custom timeouts or a test double.
 */
export interface SecretsClient {
  /** A secret's current JSON value. */
  secretValue(name: string): Promise<unknown>;
  /** Several secrets' current JSON values in one round trip, by name. */
  secretValues(names: readonly string[]): Promise<Record<string, unknown>>;
  /** The names of the tenant's secrets. */
  secretNames(): Promise<string[]>;
  /**
   * Who the token is: its tenant's id binds the `[cloud] fallback_file` to the tenant, so that
   * the tenant's other tokens can share it. Optional: without it, the file is bound to the token.
   */
  me?(): Promise<{ readonly tenant: { readonly id: string } }>;
}
