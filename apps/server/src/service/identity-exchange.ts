import { randomBytes } from "node:crypto";
import { hasUnsafeDisplayChars, redactTokenLike, UNSAFE_DISPLAY_CHARS } from "@hush/schema";
import { decodeJwt, type JWTPayload, errors as joseErrors, jwtVerify } from "jose";
import type { Logger } from "pino";
import { generateApiToken, hashApiToken } from "../auth/api-token.js";
import { WindowCounter } from "../http/window-counter.js";
import type { IdentityTrustsTable } from "../storage/schema.js";
import { insertTokenRow, parseEnvironments } from "./api-tokens.js";
import type { AuditLog } from "./audit/audit-log.js";
import type { Caller, ExchangedToken } from "./contract.js";
import { ServiceError } from "./errors.js";
import { globMatches, isGlob } from "./glob.js";
import { parseClaims } from "./identity-trusts.js";
import { type IssuerKeys, type IssuerKeysError, issuerKey } from "./jwks-cache.js";
import { newId } from "./new-id.js";
import type { ServiceContext } from "./service-context.js";
import { validateTokenName } from "./validation.js";

/** The exchange's bounds; the README's "Workload identity (trusts)" section says the same. */
export const EXCHANGE_LIMITS = {
  /** The longest identity token looked at (GitHub's are about 1.5 KiB). */
  maxTokenLength: 16 * 1024,
  /** How far clocks may disagree, in seconds, for exp, nbf and iat. */
  clockToleranceSeconds: 30,
  /** Tokens that expire later than this, or were issued longer ago, are refused (24 h). */
  maxTokenLifetimeSeconds: 86_400,
  /** Exchanges one client address may attempt per minute, per server process. */
  perAddressPerMinute: 60,
} as const;

/** What every refusal says, whichever check failed: the server log says which, at debug level. */
export const EXCHANGE_REFUSED =
  "The identity token was not accepted: check the trust's issuer, audience and subject, and that the token has not expired.";

/** How an exchange ended, for the metric of exchanges by outcome. */
export type ExchangeOutcome = "issued" | "refused" | "ambiguous" | "rate_limited" | "issuer_error";

/** Where exchanges are counted by outcome (the server's metrics are one). */
export interface ExchangeMetrics {
  identityExchange?(outcome: ExchangeOutcome): void;
}

/** Why a token was refused, for the debug log; never the token. */
class Refusal extends Error {
  constructor(
    readonly reason: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(reason);
  }
}

const ALGORITHMS = ["RS256", "ES256"];

/** A claim's value as a trust compares it: strings as they are, other values never by glob. */
function claimMatches(pattern: string, value: unknown): boolean {
  if (typeof value === "string") return globMatches(pattern, value);
  // A number or boolean claim matches a pattern that spells it exactly (`run_attempt: 1`).
  if (isGlob(pattern)) return false;
  return (typeof value === "number" || typeof value === "boolean") && String(value) === pattern;
}

/** Whether a trust matches the verified claims: audience, subject and every further claim. */
function trustMatches(trust: IdentityTrustsTable, claims: JWTPayload): boolean {
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(trust.audience)) return false;
  if (typeof claims.sub !== "string" || !globMatches(trust.subject, claims.sub)) return false;
  return parseClaims(trust.claims).every((c) => claimMatches(c.value, claims[c.name]));
}

/** Orders a tenant's matching trusts, most specific first: exact, longer, then older. */
function bySpecificity(a: IdentityTrustsTable, b: IdentityTrustsTable): number {
  const exact = Number(isGlob(a.subject)) - Number(isGlob(b.subject));
  if (exact !== 0) return exact;
  if (a.subject.length !== b.subject.length) return b.subject.length - a.subject.length;
  return a.created < b.created ? -1 : a.created > b.created ? 1 : a.id < b.id ? -1 : 1;
}

/** The first `units` UTF-16 units of `text`, never half a surrogate pair. */
function cutTo(text: string, units: number): string {
  return text.slice(0, units).replace(/[\uD800-\uDBFF]$/, "");
}

// Characters a token name may not hold, all of them (see `validateTokenName`).
const UNSAFE = new RegExp(UNSAFE_DISPLAY_CHARS.source, "gu");

/**
 * The issued token's name: `oidc <subject> #<6 hex>`, the subject stripped of the characters a
 * token name may not hold and cut to fit in 100 characters; the random suffix keeps names unique
 * in the tenant, however often one workload exchanges.
 */
export function issuedTokenName(subject: string): string {
  const suffix = ` #${randomBytes(3).toString("hex")}`;
  const room = 100 - "oidc ".length - suffix.length;
  let shown = subject.replace(UNSAFE, "").normalize("NFC").trim();
  if (shown.length > room) shown = `${cutTo(shown, room - 1).trimEnd()}…`;
  const name = `oidc ${shown}`.trim() + suffix;
  try {
    return validateTokenName(name);
  } catch {
    // A subject holding something shaped like an API token is left out of the name.
    return `oidc${suffix}`;
  }
}

/**
 * Exchanges workloads' OpenID Connect tokens for short-lived API tokens, as the tenants' trusts
 * allow. Runs without a caller, so everything an anonymous request can make the server do is
 * bounded: the token's size; only issuers some trust names are ever fetched (a token of any
 * other issuer is refused before any fetch), through `IssuerKeys` (cached, rate-limited); and
 * each client address may attempt {@link EXCHANGE_LIMITS.perAddressPerMinute} exchanges a
 * minute. Every refusal is the same UNAUTHENTICATED error, but for the one that asks to name
 * the tenant when trusts of several match.
 */
export class IdentityExchange {
  readonly #context: ServiceContext;
  readonly #audit: AuditLog;
  readonly #keys: IssuerKeys;
  readonly #logger: Logger | undefined;
  readonly #metrics: ExchangeMetrics | undefined;
  // Attempts per client address in fixed windows of a minute from its first attempt.
  readonly #attempts: WindowCounter;

  constructor(
    context: ServiceContext,
    audit: AuditLog,
    keys: IssuerKeys,
    options: { logger?: Logger | undefined; metrics?: ExchangeMetrics | undefined } = {},
  ) {
    this.#context = context;
    this.#audit = audit;
    this.#keys = keys;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    this.#attempts = new WindowCounter(EXCHANGE_LIMITS.perAddressPerMinute, 60, () =>
      context.clock().getTime(),
    );
  }

  async exchange(
    input: { token: string; tenant?: string | null },
    client: { address?: string | undefined } = {},
  ): Promise<ExchangedToken> {
    this.#admit(client.address);
    try {
      const issued = await this.#exchange(input);
      this.#metrics?.identityExchange?.("issued");
      return issued;
    } catch (error) {
      if (error instanceof Refusal) {
        this.#logger?.debug(
          { reason: error.reason, ...error.details, client: client.address },
          "identity token refused",
        );
        this.#metrics?.identityExchange?.(
          error.reason === "ambiguous"
            ? "ambiguous"
            : error.reason === "issuer keys"
              ? "issuer_error"
              : "refused",
        );
        throw error.reason === "ambiguous"
          ? new ServiceError(
              "UNAUTHENTICATED",
              "Identity trusts of more than one tenant match this token: name the tenant to exchange it in (the `tenant` of exchangeIdentityToken).",
            )
          : new ServiceError("UNAUTHENTICATED", EXCHANGE_REFUSED);
      }
      throw error;
    }
  }

  /** Counts an attempt of `address`; RATE_LIMITED past the limit for the rest of its minute. */
  #admit(address: string | undefined): void {
    if (address === undefined) return;
    const over = this.#attempts.consume(address);
    if (over === undefined) return;
    this.#metrics?.identityExchange?.("rate_limited");
    const seconds = Math.max(1, Math.ceil(over.msBeforeNext / 1000));
    throw new ServiceError(
      "RATE_LIMITED",
      `Too many identity token exchanges from this address; retry in ${seconds} s.`,
      { extensions: { retryAfterSeconds: seconds, scope: "address" } },
    );
  }

  async #exchange(input: { token: string; tenant?: string | null }): Promise<ExchangedToken> {
    const { token } = input;
    if (typeof token !== "string" || token.length > EXCHANGE_LIMITS.maxTokenLength) {
      throw new Refusal("token too long or not a string");
    }
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch (error) {
      throw new Refusal("not a JWT", { code: (error as { code?: string }).code });
    }
    const iss = unverified.iss;
    if (typeof iss !== "string" || iss.length === 0) throw new Refusal("no iss");
    const tenantId = await this.#tenantId(input.tenant);
    // Only issuers some trust names are ever fetched.
    const candidates = await this.#candidates(iss, tenantId);
    if (candidates.length === 0) {
      // Neither is checked yet: what the log keeps of them is cut.
      throw new Refusal("no trust names the issuer", {
        iss: shown(iss),
        tenant: shown(input.tenant),
      });
    }
    const claims = await this.#verify(token, iss, candidates);
    const matching = candidates.filter((trust) => trustMatches(trust, claims));
    const details = { iss, sub: shown(claims.sub), trusts: candidates.map((t) => t.id) };
    if (matching.length === 0) throw new Refusal("no trust matches the claims", details);
    if (new Set(matching.map((t) => t.tenant_id)).size > 1) {
      throw new Refusal("ambiguous", { ...details, trusts: matching.map((t) => t.id) });
    }
    const trust = matching.sort(bySpecificity)[0] as IdentityTrustsTable;
    return this.#issue(trust, claims.sub as string);
  }

  async #tenantId(name: string | null | undefined): Promise<string | undefined> {
    if (name == null) return undefined;
    const row = await this.#context.db
      .selectFrom("tenants")
      .select("id")
      .where("name", "=", String(name))
      .executeTakeFirst();
    if (row === undefined) throw new Refusal("no such tenant", { tenant: shown(name) });
    return row.id;
  }

  /** The trusts naming `iss`, written with or without a trailing slash; in one tenant if named. */
  async #candidates(iss: string, tenantId: string | undefined): Promise<IdentityTrustsTable[]> {
    const bare = issuerKey(iss);
    let query = this.#context.db
      .selectFrom("identity_trusts")
      .selectAll()
      .where("issuer", "in", [bare, `${bare}/`]);
    if (tenantId !== undefined) query = query.where("tenant_id", "=", tenantId);
    return query.execute();
  }

  /** The token's claims once its signature, issuer, times and algorithm are checked. */
  async #verify(
    token: string,
    iss: string,
    candidates: readonly IdentityTrustsTable[],
  ): Promise<JWTPayload> {
    const trusts = candidates.map((t) => t.id);
    let keys: Awaited<ReturnType<IssuerKeys["keys"]>>;
    try {
      keys = await this.#keys.keys(iss);
    } catch (error) {
      throw new Refusal("issuer keys", { iss, trusts, error: (error as IssuerKeysError).message });
    }
    const verify = (with_: typeof keys) =>
      jwtVerify(token, with_, {
        issuer: iss,
        algorithms: ALGORITHMS,
        clockTolerance: EXCHANGE_LIMITS.clockToleranceSeconds,
        maxTokenAge: EXCHANGE_LIMITS.maxTokenLifetimeSeconds,
        requiredClaims: ["exp", "iat", "sub"],
        currentDate: this.#context.clock(),
      });
    let payload: JWTPayload;
    try {
      try {
        payload = (await verify(keys)).payload;
      } catch (error) {
        if (!(error instanceof joseErrors.JWKSNoMatchingKey)) throw error;
        // The issuer may have rotated its keys since they were fetched.
        const refreshed = await this.#keys.refresh(iss).catch(() => undefined);
        if (refreshed === undefined) throw error;
        payload = (await verify(refreshed)).payload;
      }
    } catch (error) {
      const code = (error as { code?: string }).code ?? "unexpected";
      if (!(error instanceof joseErrors.JOSEError)) {
        this.#logger?.warn({ err: error, iss, trusts }, "verifying an identity token failed");
      }
      throw new Refusal("verification failed", { code, iss, trusts });
    }
    const now = this.#context.clock().getTime() / 1000;
    if ((payload.exp as number) > now + EXCHANGE_LIMITS.maxTokenLifetimeSeconds) {
      throw new Refusal("expires more than 24 h from now", {
        iss,
        sub: shown(payload.sub),
        trusts,
      });
    }
    if (typeof payload.sub !== "string" || payload.sub.length === 0) {
      throw new Refusal("no sub", { iss, trusts });
    }
    return payload;
  }

  /** Issues an API token as `trust` says, audited as the token itself exchanging. */
  async #issue(trust: IdentityTrustsTable, subject: string): Promise<ExchangedToken> {
    const token = generateApiToken();
    const now = this.#context.clock();
    const expiresAt = new Date(now.getTime() + Number(trust.ttl_seconds) * 1000);
    const tenant = await this.#context.db
      .selectFrom("tenants")
      .select("name")
      .where("id", "=", trust.tenant_id)
      .executeTakeFirstOrThrow();
    const row = {
      id: newId(),
      tenant_id: trust.tenant_id,
      name: issuedTokenName(subject),
      role: trust.role,
      token_hash: hashApiToken(token),
      created: now.toISOString(),
      created_by: `trust ${trust.id}`,
      expires_at: expiresAt.toISOString(),
      revoked_at: null,
      environments: trust.environments,
      trust_id: trust.id,
    };
    const issued: Caller = {
      tenantId: trust.tenant_id,
      tenantName: tenant.name,
      tokenId: row.id,
      tokenName: row.name,
      role: trust.role,
    };
    const outcome = await this.#context.writer.run(async (db) => {
      // The trust may have been deleted since it was read: then nothing is issued.
      const still = await db
        .selectFrom("identity_trusts")
        .select("id")
        .where("id", "=", trust.id)
        .executeTakeFirst();
      if (still === undefined) return "trust deleted meanwhile";
      // Names carry 24 random bits: taken only by a rare coincidence, and the next try passes.
      const inserted = await insertTokenRow(db, row);
      if (!inserted.ok) return "token name taken";
      await this.#audit.recordIn(db, issued, "EXCHANGE_IDENTITY_TOKEN", "SUCCESS", {
        target: row.id,
        trustId: trust.id,
        subject: shown(subject) ?? null,
      });
      return undefined;
    });
    if (outcome !== undefined) throw new Refusal(outcome, { trust: trust.id });
    return {
      token,
      expiresAt,
      role: trust.role,
      environments: parseEnvironments(trust.environments),
      tenant: tenant.name,
    };
  }
}

/**
 * Text from a token or a request (a subject, an unverified issuer) as an audit event and the log
 * keep it: at most 255 characters, the characters a token name may not hold replaced, and
 * anything shaped like an API token as `hush_…`.
 */
function shown(subject: unknown): string | undefined {
  if (typeof subject !== "string") return undefined;
  const cut = subject.length > 255 ? `${cutTo(subject, 254)}…` : subject;
  return redactTokenLike(hasUnsafeDisplayChars(cut) ? cut.replace(UNSAFE, "\uFFFD") : cut);
}
