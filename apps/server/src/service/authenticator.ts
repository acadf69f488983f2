import { hashApiToken, looksLikeApiToken } from "../auth/api-token.js";
import { parseEnvironments } from "./api-tokens.js";
import type { ChangeFeed } from "./change-feed.js";
import type { Caller } from "./contract.js";
import { NotifiedCache } from "./notified-cache.js";
import type { ServiceContext } from "./service-context.js";
import { tokensWithTenantNames } from "./token-rows.js";

/** A cached token check; the cache holds objects only, so a known-bad token is `{}`. */
interface Check {
  readonly caller?: Caller;
}
const REFUSED: Check = Object.freeze({});

/**
 * Turns bearer tokens into callers. Checks, good and bad, are cached by token hash for a few
 * seconds; a revocation through this process is forgotten at once, and one through another
 * replica as soon as its notice arrives (`changes`). While notices do not arrive, checks are kept
 * for at most a second.
 */
export class Authenticator {
  readonly #context: ServiceContext;
  readonly #checks: NotifiedCache<string, Check>;

  constructor(
    context: ServiceContext,
    options: { ttlMs: number; maxEntries: number; changes?: ChangeFeed | undefined },
  ) {
    this.#context = context;
    this.#checks = new NotifiedCache({ ...options, clock: context.clock, kind: "tokens" });
  }

  /** The caller a bearer token stands for; undefined for an unknown, expired or revoked token. */
  async authenticate(token: string): Promise<Caller | undefined> {
    if (typeof token !== "string" || !looksLikeApiToken(token)) return undefined;
    const hash = hashApiToken(token);
    const cached = this.#checks.get(hash);
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
      this.#checks.set(hash, REFUSED);
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
    this.#checks.set(hash, { caller }, expiresAt === undefined ? undefined : expiresAt - now);
    return caller;
  }

  /** Drops the cached check of a token, by its hash (after a revocation). */
  forget(tokenHash: string): void {
    this.#checks.delete(tokenHash);
  }
}
