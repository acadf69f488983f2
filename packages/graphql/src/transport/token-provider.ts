/**
 * Where a client's bearer token comes from when it is not one fixed string: a workload identity
 * exchanged for short-lived API tokens, renewed as they expire. The client asks for the token
 * before each request, so a renewed one is used at once.
 */
export interface TokenProvider {
  /** The token for the next request; `""` for none. Its errors are the request's. */
  token(): Promise<string>;
  /**
   * The server refused `token` (UNAUTHENTICATED). Returns whether a new one is worth one more
   * attempt (the provider will not hand out `token` again); false when it has nothing better.
   */
  refused(token: string): boolean;
}

/** A provider for one fixed token, never renewed. */
export function fixedToken(apiKey: string): TokenProvider {
  return { token: async () => apiKey, refused: () => false };
}
