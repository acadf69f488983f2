import { LRUCache } from "lru-cache";
import { hashApiToken, looksLikeApiToken } from "../auth/api-token.js";
import { parseEnvironments } from "./api-tokens.js";
import type { ChangeFeed } from "./change-feed.js";
import type { Caller } from "./contract.js";
import type { ServiceContext } from "./service-context.js";
import { tokensWithTenantNames } from "./token-rows.js";

/** A cached token check; the cache holds objects only, so a known-bad token is `{}`. */
interface Check {
  readonly caller?: Caller;
}
const REFUSED: Check = Object.freeze({});

// How long a check is kept while change notices do not arrive (the listening connection to
// PostgreSQL is lost): a revocation elsewhere then takes effect within this time.
const FALLBACK_TTL_MS = 1000;

/**
 * Turns bearer tokens into callers. Checks, good and bad, are cached by token hash for a few
 * seconds; a revocation through this process is forgotten at once, and one through another
 * replica as soon as its notice arrives (`changes`). While notices do not arrive, checks are kept
 * for at most a second.
 */
export class Authenticator {
  readonly #context: ServiceContext;
  /** How long a check stays usable, in lru-cache's terms (see the constructor). */
  readonly #ttl: number;
  readonly #checks: LRUCache<string, Check> | undefined;

  readonly #changes: ChangeFeed | undefined;

  constructor(
    context: ServiceContext,
    options: { ttlMs: number; maxEntries: number; changes?: ChangeFeed | undefined },
  ) {
    this.#context = context;
    this.#changes = options.changes;
    // lru-cache keeps an entry until strictly more than its ttl has passed; a check must be gone
    // once `ttlMs` has (a revocation elsewhere takes effect "within" that time), so one less.
    this.#ttl = options.ttlMs - 1;
    this.#checks =
      this.#ttl > 0
        ? new LRUCache({
            max: options.maxEntries,
            ttl: this.#ttl,
            // Entries age by the service's clock; read it on every check, not once a millisecond.
            perf: { now: () => context.clock().getTime() },
            ttlResolution: 0,
          })
        : undefined;
    options.changes?.on((kind) => {
      if (kind === "tokens" || kind === "resync") this.#checks?.clear();
    });
  }

  /** The caller a bearer token stands for; undefined for an unknown, expired or revoked token. */
  async authenticate(token: string): Promise<Caller | undefined> {
    if (typeof token !== "string" || !looksLikeApiToken(token)) return undefined;
    const hash = hashApiToken(token);
    const cached = this.#checks?.get(hash);
    if (cached !== undefined) return cached.caller;

    const row = await tokensWithTenantNames(this.#context.db)
      .select("t.tenant_id")
      .where("t.token_hash", "=", hash)
      .executeTakeFirst();
    const now = this.#context.clock().getTime();
    const expiresAt = row?.expires_at == null ? undefined : Date.parse(row.expires_at);
    if (
      row === undefined ||
      row.revoked_at !== null ||
      (expiresAt !== undefined && expiresAt <= now)
    ) {
      this.#checks?.set(hash, REFUSED, { ttl: this.#keepFor() });
      return undefined;
    }
    const caller: Caller = Object.freeze({
      tenantId: row.tenant_id,
      tenantName: row.tenant_name,
      tokenId: row.id,
      tokenName: row.name,
      role: row.role,
      environments: parseEnvironments(row.environments),
    });
    // A token about to expire is cached only until it does.
    const ttl =
      expiresAt === undefined ? this.#keepFor() : Math.min(this.#keepFor(), expiresAt - now - 1);
    if (ttl > 0) this.#checks?.set(hash, { caller }, { ttl });
    return caller;
  }

  /** How long a check made now may be kept. */
  #keepFor(): number {
    return this.#changes?.live === false ? Math.min(this.#ttl, FALLBACK_TTL_MS - 1) : this.#ttl;
  }

  /** Drops the cached check of a token, by its hash (after a revocation). */
  forget(tokenHash: string): void {
    this.#checks?.delete(tokenHash);
  }
}
