import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { LRUCache } from "lru-cache";
import {
  checkOutboundUrl,
  type OutboundPolicy,
  outboundRequest,
} from "../outbound/outbound-http.js";

/** How the server fetches and keeps issuers' keys; the README's trust section says the same. */
export const ISSUER_FETCH = {
  /** For each fetch, connecting to the last byte. */
  timeoutMs: 5_000,
  /** The largest discovery document or key set read (64 KiB). */
  maxBytes: 64 * 1024,
  /** How long a discovery document, and the keys fetched with it, are used. */
  cacheMs: 60 * 60 * 1000,
  /**
   * The least time between two fetches of an issuer's keys when a token names a key it does not
   * have, and between two attempts at an issuer whose fetch failed.
   */
  refetchAfterMs: 30_000,
} as const;

/** An issuer whose keys could not be had; `message` says why, for the server log only. */
export class IssuerKeysError extends Error {
  override readonly name = "IssuerKeysError";
}

interface Entry {
  jwksUri: string;
  keys: JWTVerifyGetKey;
  /** When the discovery document was fetched. */
  discoveredAt: number;
  /** When the keys were last fetched. */
  keysFetchedAt: number;
}

/** The issuer URL without a trailing slash: `iss` may be written either way. */
export function issuerKey(issuer: string): string {
  return issuer.endsWith("/") ? issuer.slice(0, -1) : issuer;
}

/**
 * The signing keys of the issuers that trusts name, fetched through `outboundRequest` (its
 * address checks, a timeout and a size limit) and kept: the discovery document
 * (`/.well-known/openid-configuration`) and the key set it points to for an hour; the keys are
 * fetched again for a key id they lack, at most once every 30 s per issuer. A failed fetch is
 * not retried for 30 s either, and concurrent requests for one issuer share one fetch: however
 * many tokens arrive, an issuer is asked at most a few times a minute.
 */
export class IssuerKeys {
  readonly #policy: OutboundPolicy;
  readonly #clock: () => Date;
  readonly #entries = new LRUCache<string, Entry>({ max: 1000 });
  readonly #failedAt = new LRUCache<string, number>({ max: 1000 });
  readonly #pending = new Map<string, Promise<Entry>>();

  constructor(options: { policy: OutboundPolicy; clock: () => Date }) {
    this.#policy = options.policy;
    this.#clock = options.clock;
  }

  /** The issuer's keys, for `jwtVerify`: kept ones, or fetched. Throws `IssuerKeysError`. */
  async keys(issuer: string): Promise<JWTVerifyGetKey> {
    const key = issuerKey(issuer);
    const entry = this.#entries.get(key);
    if (entry !== undefined && this.#now() - entry.discoveredAt < ISSUER_FETCH.cacheMs) {
      return entry.keys;
    }
    return (await this.#once(key, () => this.#discover(key))).keys;
  }

  /**
   * Fetches the issuer's keys again after a token named a key they lack, unless they were
   * fetched within the last 30 s; answers the keys to try again with, or undefined.
   */
  async refresh(issuer: string): Promise<JWTVerifyGetKey | undefined> {
    const key = issuerKey(issuer);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (this.#now() - entry.keysFetchedAt < ISSUER_FETCH.refetchAfterMs) return undefined;
    const refreshed = await this.#once(key, async () => ({
      ...entry,
      keys: await this.#fetchKeys(entry.jwksUri),
      keysFetchedAt: this.#now(),
    }));
    return refreshed.keys;
  }

  #now(): number {
    return this.#clock().getTime();
  }

  /** Runs `fetch` for the issuer unless one runs already or failed lately; keeps its entry. */
  #once(key: string, fetch: () => Promise<Entry>): Promise<Entry> {
    const running = this.#pending.get(key);
    if (running !== undefined) return running;
    const failedAt = this.#failedAt.get(key);
    if (failedAt !== undefined && this.#now() - failedAt < ISSUER_FETCH.refetchAfterMs) {
      return Promise.reject(new IssuerKeysError(`${key} failed lately; not asked again yet`));
    }
    const started = fetch().then(
      (entry) => {
        this.#entries.set(key, entry);
        this.#failedAt.delete(key);
        return entry;
      },
      (error: unknown) => {
        this.#failedAt.set(key, this.#now());
        throw error instanceof IssuerKeysError
          ? error
          : new IssuerKeysError(`${key}: ${(error as Error).message}`, { cause: error });
      },
    );
    const done = () => this.#pending.delete(key);
    started.then(done, done);
    this.#pending.set(key, started);
    return started;
  }

  async #discover(issuer: string): Promise<Entry> {
    const discovery = await this.#fetchJson(`${issuer}/.well-known/openid-configuration`);
    if (typeof discovery.issuer !== "string" || issuerKey(discovery.issuer) !== issuer) {
      throw new IssuerKeysError(`${issuer}'s discovery document names another issuer`);
    }
    if (typeof discovery.jwks_uri !== "string") {
      throw new IssuerKeysError(`${issuer}'s discovery document has no jwks_uri`);
    }
    const jwksUri = checkOutboundUrl(discovery.jwks_uri, this.#policy).toString();
    const keys = await this.#fetchKeys(jwksUri);
    const now = this.#now();
    return { jwksUri, keys, discoveredAt: now, keysFetchedAt: now };
  }

  async #fetchKeys(jwksUri: string): Promise<JWTVerifyGetKey> {
    const jwks = await this.#fetchJson(jwksUri);
    if (!Array.isArray(jwks.keys)) throw new IssuerKeysError(`${jwksUri} is not a key set`);
    return createLocalJWKSet(jwks as unknown as JSONWebKeySet);
  }

  async #fetchJson(url: string): Promise<Record<string, unknown>> {
    const response = await outboundRequest(url, {
      headers: { accept: "application/json" },
      timeoutMs: ISSUER_FETCH.timeoutMs,
      maxBytes: ISSUER_FETCH.maxBytes,
      policy: this.#policy,
    });
    if (response.status !== 200) {
      throw new IssuerKeysError(`${url} answered ${response.status} ${response.statusText}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.body.toString("utf8"));
    } catch {
      throw new IssuerKeysError(`${url} did not answer JSON`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new IssuerKeysError(`${url} did not answer a JSON object`);
    }
    return parsed as Record<string, unknown>;
  }
}
