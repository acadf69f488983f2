import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

/** A signing algorithm the issuer offers; servers must accept only these two. */
export type TestIssuerAlgorithm = "RS256" | "ES256";

/** How `TestIssuer.sign` signs: everything a test may get wrong on purpose. */
export interface SignOptions {
  /** The key: one the issuer publishes (by kid), or `"unpublished"`, a key it never serves. */
  kid?: string | "unpublished";
  /** The algorithm; the key's own when omitted. */
  alg?: TestIssuerAlgorithm;
  /** Seconds from now to `exp`; 300 when omitted; null for no `exp` at all. */
  expiresIn?: number | null;
  /** Seconds from now to `iat` (negative: in the past); 0 when omitted; null for none. */
  issuedAt?: number | null;
  /** Seconds from now to `nbf`; none when omitted. */
  notBefore?: number;
}

/** An OpenID Connect issuer on loopback with keys made in the test. */
export interface TestIssuer {
  /** The issuer URL (`http://127.0.0.1:PORT`), as tokens' `iss` says it. */
  readonly url: string;
  /** The kid of the key tokens are signed with by default. */
  readonly kid: string;
  /** Signs `claims` (iss defaults to `url`; aud, sub and the rest are the test's). */
  sign(claims: Record<string, unknown>, options?: SignOptions): Promise<string>;
  /** A token signed with HS256 using the published public key as the HMAC secret. */
  signHs256WithPublicKey(claims: Record<string, unknown>): string;
  /** A token with `alg: none` and no signature. */
  unsigned(claims: Record<string, unknown>): string;
  /** Adds a key (published at once) and makes it the default; returns its kid. */
  rotate(alg?: TestIssuerAlgorithm): Promise<string>;
  /**
   * GitHub Actions' ID-token endpoint stand-in: GET `requestUrl&audience=AUD` with
   * `Authorization: bearer requestToken` answers `{ value: JWT }` with `actionsClaims`, `aud`
   * set to the audience asked for (or `actionsDefaultAudience`).
   */
  readonly actions: { readonly requestUrl: string; readonly requestToken: string };
  /** The claims the Actions endpoint's tokens carry besides iss, aud, exp and iat. */
  actionsClaims: Record<string, unknown>;
  /** How many times each document was asked for. */
  readonly requests: { discovery: number; jwks: number; idToken: number };
  close(): Promise<void>;
}

interface Key {
  kid: string;
  alg: TestIssuerAlgorithm;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const base64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

async function makeKey(alg: TestIssuerAlgorithm): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomBytes(8).toString("hex");
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { kid, alg, privateKey, publicJwk };
}

/**
 * Starts an OpenID Connect issuer on a free port of 127.0.0.1: discovery at
 * `/.well-known/openid-configuration`, its keys at `/jwks`, and a stand-in for GitHub Actions'
 * ID-token endpoint at `/actions-token`. Close it when done.
 *
 * @example
 *   const issuer = await startTestIssuer();
 *   const jwt = await issuer.sign({ aud: "hush", sub: "repo:acme/app:ref:refs/heads/main" });
 */
export async function startTestIssuer(
  options: { alg?: TestIssuerAlgorithm; actionsDefaultAudience?: string } = {},
): Promise<TestIssuer> {
  const keys: Key[] = [await makeKey(options.alg ?? "RS256")];
  const unpublished = await makeKey(options.alg ?? "RS256");
  let current = keys[0] as Key;
  const requestToken = randomBytes(16).toString("hex");
  const requests = { discovery: 0, jwks: 0, idToken: 0 };
  let url = "";

  const sign = async (claims: Record<string, unknown>, signOptions: SignOptions = {}) => {
    const key =
      signOptions.kid === "unpublished"
        ? unpublished
        : signOptions.kid === undefined
          ? current
          : keys.find((k) => k.kid === signOptions.kid);
    if (key === undefined) throw new Error(`no key ${signOptions.kid}`);
    const now = Math.floor(Date.now() / 1000);
    const body: Record<string, unknown> = { iss: url, ...claims };
    if (signOptions.issuedAt !== null) body.iat = now + (signOptions.issuedAt ?? 0);
    if (signOptions.expiresIn !== null) body.exp = now + (signOptions.expiresIn ?? 300);
    if (signOptions.notBefore !== undefined) body.nbf = now + signOptions.notBefore;
    return new SignJWT(body)
      .setProtectedHeader({ alg: signOptions.alg ?? key.alg, kid: key.kid, typ: "JWT" })
      .sign(key.privateKey);
  };

  const issuer: TestIssuer = {
    get url() {
      return url;
    },
    get kid() {
      return current.kid;
    },
    sign,
    signHs256WithPublicKey(claims) {
      const header = base64url(JSON.stringify({ alg: "HS256", kid: current.kid, typ: "JWT" }));
      const now = Math.floor(Date.now() / 1000);
      const payload = base64url(JSON.stringify({ iss: url, iat: now, exp: now + 300, ...claims }));
      const secret = JSON.stringify(current.publicJwk);
      const signature = createHmac("sha256", secret).update(`${header}.${payload}`).digest();
      return `${header}.${payload}.${base64url(signature)}`;
    },
    unsigned(claims) {
      const now = Math.floor(Date.now() / 1000);
      const header = base64url(JSON.stringify({ alg: "none", typ: "JWT" }));
      const payload = base64url(JSON.stringify({ iss: url, iat: now, exp: now + 300, ...claims }));
      return `${header}.${payload}.`;
    },
    async rotate(alg) {
      const key = await makeKey(alg ?? current.alg);
      keys.push(key);
      current = key;
      return key.kid;
    },
    get actions() {
      return { requestUrl: `${url}/actions-token?api-version=2.0`, requestToken };
    },
    actionsClaims: {},
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const send = (response: ServerResponse, status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? "/", url);
    if (path.pathname === "/.well-known/openid-configuration") {
      requests.discovery++;
      return send(response, 200, {
        issuer: url,
        jwks_uri: `${url}/jwks`,
        id_token_signing_alg_values_supported: ["RS256", "ES256"],
      });
    }
    if (path.pathname === "/jwks") {
      requests.jwks++;
      return send(response, 200, { keys: keys.map((k) => k.publicJwk) });
    }
    if (path.pathname === "/actions-token") {
      requests.idToken++;
      if (request.headers.authorization?.toLowerCase() !== `bearer ${requestToken}`) {
        return send(response, 401, { message: "bad request token" });
      }
      const aud = path.searchParams.get("audience") ?? options.actionsDefaultAudience ?? url;
      return send(response, 200, { value: await sign({ ...issuer.actionsClaims, aud }) });
    }
    send(response, 404, { message: "not found" });
  };
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) =>
      send(response, 500, { message: String(error) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return issuer;
}
