/** The claims of an OpenID Connect token that a trust matches, for messages; none is a secret. */
export interface TokenClaims {
  readonly iss?: unknown;
  readonly aud?: unknown;
  readonly sub?: unknown;
}

/**
 * The issuer, audience and subject a JWT claims, read without checking its signature (the server
 * checks it): a refused exchange names them, so the trust to create or fix is plain to see.
 * Empty when `jwt` is not a JWT.
 */
export function tokenClaims(jwt: string): TokenClaims {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString("utf8"));
    const { iss, aud, sub } = payload as TokenClaims;
    return { iss, aud, sub };
  } catch {
    return {};
  }
}
