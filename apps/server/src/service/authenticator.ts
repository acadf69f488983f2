import { LRUCache } from "lru-cache";
import { hashApiToken, looksLikeApiToken } from "../auth/api-token.js";
import type { Caller } from "./contract.js";
import type { ServiceContext } from "./service-context.js";

/** A cached token check; the cache holds objects only, so a known-bad token is `{}`. */
interface Check {
  readonly caller?: Caller;
}
const REFUSED: Check = Object.freeze({});

/**
 * Turns bearer tokens into callers. Checks, good and bad, are cached by token hash for a few
 * seconds, so a token revoked on another replica stops working within that time; a revocation
 * through this process is forgotten at once.
 */
export class Authenticator {
  readonly #context: ServiceContext;
  /** How long a check stays usable, in lru-cache's terms (see the constructor). */
  readonly #ttl: number;
  readonly #checks: LRUCache<string, Check> | undefined;

  constructor(context: ServiceContext, options: { ttlMs: number; maxEntries: number }) {
    this.#context = context;
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
  }

  /** The caller a bearer token stands for; undefined for an unknown, expired or revoked token. */
  async authenticate(token: string): Promise<Caller | undefined> {
    if (typeof token !== "string" || !looksLikeApiToken(token)) return undefined;
    const hash = hashApiToken(token);
    const cached = this.#checks?.get(hash);
    if (cached !== undefined) return cached.caller;

    const row = await this.#context.db
      .selectFrom("api_tokens as t")
      .innerJoin("tenants", "tenants.id", "t.tenant_id")
      .select([
        "t.id",
        "t.name",
        "t.role",
        "t.expires_at",
        "t.revoked_at",
        "tenants.id as tenant_id",
        "tenants.name as tenant_name",
      ])
      .where("t.token_hash", "=", hash)
      .executeTakeFirst();
    const now = this.#context.clock().getTime();
    const expiresAt = row?.expires_at == null ? undefined : Date.parse(row.expires_at);
    if (
      row === undefined ||
      row.revoked_at !== null ||
      (expiresAt !== undefined && expiresAt <= now)
    ) {
      this.#checks?.set(hash, REFUSED);
      return undefined;
    }
    const caller: Caller = Object.freeze({
      tenantId: row.tenant_id,
      tenantName: row.tenant_name,
      tokenId: row.id,
      tokenName: row.name,
      role: row.role,
    });
    // A token about to expire is cached only until it does.
    const ttl = expiresAt === undefined ? this.#ttl : Math.min(this.#ttl, expiresAt - now - 1);
    if (ttl > 0) this.#checks?.set(hash, { caller }, { ttl });
    return caller;
  }

  /** Drops the cached check of a token, by its hash (after a revocation). */
  forget(tokenHash: string): void {
    this.#checks?.delete(tokenHash);
  }
}
