import { containsTokenLike, hasUnsafeDisplayChars, TOKEN_LIKE_REASON } from "@hush/schema";
import {
  checkOutboundUrl,
  type OutboundPolicy,
  OutboundUrlError,
} from "../outbound/outbound-http.js";
import type { IdentityTrustsTable } from "../storage/schema.js";
import { parseEnvironments } from "./api-tokens.js";
import type { AuditLog } from "./audit/audit-log.js";
import type {
  Caller,
  IdentityClaim,
  IdentityTrustInput,
  IdentityTrustMeta,
  Role,
} from "./contract.js";
import type { Environments } from "./environments.js";
import { outOfScope } from "./environments.js";
import { ServiceError } from "./errors.js";
import { isGlob } from "./glob.js";
import { newId } from "./new-id.js";
import { fail, type Outcome, ok, unwrap } from "./outcome.js";
import { forbidden, isAllowed } from "./roles.js";
import { nowIso, type ServiceContext } from "./service-context.js";
import { validateRole } from "./token-input.js";
import { badInput, validateTokenId } from "./validation.js";

/** The bounds of a trust; the README's "Workload identity (trusts)" section says the same. */
export const TRUST_LIMITS = {
  /** Trusts one tenant may have. */
  maxTrustsPerTenant: 100,
  /** Further claims one trust may require. */
  maxClaims: 20,
  /** The longest issuer, audience, subject or claim value. */
  maxTextLength: 255,
  /** The longest claim name. */
  maxClaimNameLength: 100,
  /** Issued tokens last this long unless the trust says otherwise (15 minutes). */
  defaultTtlSeconds: 900,
  minTtlSeconds: 60,
  /** 12 hours. */
  maxTtlSeconds: 43_200,
} as const;

// Claims the exchange checks itself (against the trust's issuer, audience and subject, and the
// clock): a trust cannot require them again.
const CHECKED_CLAIMS = new Set(["iss", "aud", "sub", "exp", "nbf", "iat"]);

/** The flag that lets issuers on private network addresses be trusted, named in refusals. */
export const PRIVATE_ISSUERS_FLAG = "--allow-private-issuers";

/** A stored trust as the API shows it. */
export function toTrustMeta(row: IdentityTrustsTable): IdentityTrustMeta {
  return {
    id: row.id,
    issuer: row.issuer,
    audience: row.audience,
    subject: row.subject,
    claims: parseClaims(row.claims),
    role: row.role,
    environments: parseEnvironments(row.environments),
    ttlSeconds: Number(row.ttl_seconds),
    created: new Date(row.created),
    createdBy: row.created_by,
  };
}

/** A trust row's claims (JSON list of `{ name, value }`). */
export function parseClaims(stored: string): IdentityClaim[] {
  const claims: unknown = JSON.parse(stored);
  if (!Array.isArray(claims)) return [];
  return claims.filter(
    (c): c is IdentityClaim => typeof c?.name === "string" && typeof c?.value === "string",
  );
}

/** Checks one text field of a trust: 1 to 255 characters, none that changes how text shows. */
function validateText(value: unknown, what: string, example: string): string {
  if (
    typeof value !== "string" ||
    value.length === 0 ||
    value.length > TRUST_LIMITS.maxTextLength
  ) {
    throw badInput(
      `The trust's ${what} must be 1 to ${TRUST_LIMITS.maxTextLength} characters, e.g. ${example}.`,
      { argument: what },
    );
  }
  if (hasUnsafeDisplayChars(value)) {
    throw badInput(
      `The trust's ${what} contains a control, bidi or zero-width character; give it as plain text, e.g. ${example}.`,
      { argument: what },
    );
  }
  if (containsTokenLike(value)) {
    throw badInput(`The trust's ${what} ${TOKEN_LIKE_REASON}.`, { argument: what });
  }
  return value;
}

/** Checks an issuer URL: what the server may fetch (see `checkOutboundUrl`), with no query. */
export function validateIssuer(issuer: unknown, policy: OutboundPolicy): string {
  const text = validateText(issuer, "issuer", "https://token.actions.githubusercontent.com");
  let url: URL;
  try {
    url = checkOutboundUrl(text, { ...policy, privateFlag: PRIVATE_ISSUERS_FLAG });
  } catch (error) {
    if (error instanceof OutboundUrlError) {
      throw badInput(`The trust's issuer cannot be used: ${error.message}`, {
        argument: "issuer",
      });
    }
    throw error;
  }
  if (url.search !== "" || url.hash !== "") {
    throw badInput(
      "The trust's issuer must be the issuer's URL without a query or fragment, as its tokens' iss claim says it.",
      { argument: "issuer" },
    );
  }
  return text;
}

function validateClaims(claims: readonly IdentityClaim[] | null | undefined): IdentityClaim[] {
  if (claims == null) return [];
  if (!Array.isArray(claims) || claims.length > TRUST_LIMITS.maxClaims) {
    throw badInput(`A trust may require at most ${TRUST_LIMITS.maxClaims} claims.`, {
      argument: "claims",
    });
  }
  const seen = new Set<string>();
  return claims.map((claim) => {
    const name = claim?.name;
    if (
      typeof name !== "string" ||
      name.length === 0 ||
      name.length > TRUST_LIMITS.maxClaimNameLength ||
      hasUnsafeDisplayChars(name)
    ) {
      throw badInput(
        `A claim's name must be 1 to ${TRUST_LIMITS.maxClaimNameLength} plain characters, e.g. repository_owner.`,
        { argument: "claims" },
      );
    }
    if (CHECKED_CLAIMS.has(name)) {
      throw badInput(
        `The claim ${name} is checked by the trust itself (issuer, audience, subject, times); remove it from the claims.`,
        { argument: "claims" },
      );
    }
    if (seen.has(name)) {
      throw badInput(`The claim ${name} is given twice; give each claim once.`, {
        argument: "claims",
      });
    }
    seen.add(name);
    return { name, value: validateText(claim.value, "claim value", "acme or acme-*") };
  });
}

// GitHub's issuer signs tokens for every workflow of every repository on GitHub.
const GITHUB_ACTIONS_ISSUER = "https://token.actions.githubusercontent.com";
// Claims that pin a GitHub workflow to one owner (or one repository) when matched exactly.
const GITHUB_OWNER_CLAIMS = new Set([
  "repository_owner",
  "repository_owner_id",
  "repository",
  "repository_id",
]);

/**
 * Refuses a trust that would let workloads its tenant does not own in: a subject of only `*`
 * with no claim to narrow it, and, for GitHub's issuer, one that pins no owner (neither a
 * subject `repo:OWNER/…` nor an exact owner or repository claim), since anyone can run a
 * workflow there and ask for any audience.
 */
function refuseOpenTrust(issuer: string, subject: string, claims: readonly IdentityClaim[]): void {
  if (subject === "*" && claims.length === 0) {
    throw badInput(
      "A subject of only * trusts every workload of the issuer: name the workloads (e.g. system:serviceaccount:ci:*), or require a claim that narrows them.",
      { argument: "subject" },
    );
  }
  if (issuer.replace(/\/$/, "") !== GITHUB_ACTIONS_ISSUER) return;
  const ownerInSubject = /^repo:[^*/:]+\//.test(subject);
  const ownerInClaims = claims.some((c) => GITHUB_OWNER_CLAIMS.has(c.name) && !isGlob(c.value));
  if (!ownerInSubject && !ownerInClaims) {
    throw badInput(
      "GitHub's issuer signs tokens for every repository on GitHub: name the owner in the subject (repo:acme/app:ref:refs/heads/main, repo:acme/*), or require repository_owner exactly.",
      { argument: "subject" },
    );
  }
}

function validateTrustRole(role: Role | null | undefined): Role {
  if (role == null) return "RUNNER";
  const checked = validateRole(role);
  if (checked === "TENANT_ADMIN") {
    throw badInput(
      "A trust cannot issue TENANT_ADMIN tokens: a workload must not be able to manage the tenant's tokens and trusts. Choose RUNNER, READ_ONLY_USER or USER.",
      { argument: "role" },
    );
  }
  return checked;
}

/** Checks how long issued tokens last: a whole number of seconds from 60 to 43200. */
export function validateTtl(ttlSeconds: number | null | undefined): number {
  if (ttlSeconds == null) return TRUST_LIMITS.defaultTtlSeconds;
  const { minTtlSeconds: min, maxTtlSeconds: max } = TRUST_LIMITS;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < min || ttlSeconds > max) {
    throw badInput(
      `ttlSeconds must be a whole number from ${min} (1 minute) to ${max} (12 hours); the default is ${TRUST_LIMITS.defaultTtlSeconds} (15 minutes).`,
      { argument: "ttlSeconds" },
    );
  }
  return ttlSeconds;
}

/**
 * A tenant admin's identity trusts: listing, creating (every field checked, at most
 * {@link TRUST_LIMITS.maxTrustsPerTenant} per tenant) and deleting, audited. Deleting a trust
 * leaves the tokens it issued until they expire.
 */
export class IdentityTrusts {
  readonly #context: ServiceContext;
  readonly #audit: AuditLog;
  readonly #environments: Environments;
  readonly #policy: OutboundPolicy;

  constructor(
    context: ServiceContext,
    audit: AuditLog,
    environments: Environments,
    policy: OutboundPolicy,
  ) {
    this.#context = context;
    this.#audit = audit;
    this.#environments = environments;
    this.#policy = policy;
  }

  async list(caller: Caller): Promise<IdentityTrustMeta[]> {
    if (!isAllowed(caller, "manageTrusts")) throw forbidden(caller, "manageTrusts");
    const rows = await this.#context.db
      .selectFrom("identity_trusts")
      .selectAll()
      .where("tenant_id", "=", caller.tenantId)
      .orderBy("created")
      .orderBy("id")
      .execute();
    return rows.map(toTrustMeta);
  }

  async create(caller: Caller, input: IdentityTrustInput): Promise<IdentityTrustMeta> {
    await this.#audit.require(caller, "manageTrusts", "CREATE_IDENTITY_TRUST");
    const issuer = validateIssuer(input.issuer, this.#policy);
    const audience = validateText(input.audience, "audience", "hush");
    const subject = validateText(input.subject, "subject", "repo:acme/app:ref:refs/heads/main");
    const claims = validateClaims(input.claims);
    refuseOpenTrust(issuer, subject, claims);
    const role = validateTrustRole(input.role);
    const ttlSeconds = validateTtl(input.ttlSeconds);
    const environments = await this.#environments.validateScope(
      caller.tenantId,
      input.environments,
    );
    // A token scoped to some environments cannot make a trust that reaches further.
    const scope = caller.environments ?? null;
    if (scope !== null) {
      const beyond = environments?.find((e) => !scope.includes(e));
      if (environments === null || beyond !== undefined) {
        throw outOfScope(caller, beyond ?? "(every environment)");
      }
    }
    const row: IdentityTrustsTable = {
      id: newId(),
      tenant_id: caller.tenantId,
      issuer,
      audience,
      subject,
      claims: JSON.stringify(claims),
      role,
      environments: environments === null ? null : JSON.stringify(environments),
      ttl_seconds: ttlSeconds,
      created: nowIso(this.#context),
      created_by: caller.tokenName,
    };
    const outcome = await this.#context.writer.run(async (db): Promise<Outcome<void>> => {
      if (this.#context.backend === "postgres") {
        // Concurrent creations in a tenant queue here, so that the count below holds.
        await db
          .selectFrom("tenants")
          .select("id")
          .where("id", "=", caller.tenantId)
          .forUpdate()
          .execute();
      }
      const { count } = await db
        .selectFrom("identity_trusts")
        .select((eb) => eb.fn.countAll<number>().as("count"))
        .where("tenant_id", "=", caller.tenantId)
        .executeTakeFirstOrThrow();
      if (Number(count) >= TRUST_LIMITS.maxTrustsPerTenant) {
        return fail(
          badInput(
            `The tenant has ${TRUST_LIMITS.maxTrustsPerTenant} identity trusts, the most it may have; delete one it no longer needs, or match several workloads with one subject glob.`,
          ),
        );
      }
      await db.insertInto("identity_trusts").values(row).execute();
      await this.#audit.recordIn(db, caller, "CREATE_IDENTITY_TRUST", "SUCCESS", {
        trustId: row.id,
      });
      return ok(undefined);
    });
    unwrap(outcome);
    return toTrustMeta(row);
  }

  async delete(caller: Caller, id: string): Promise<void> {
    const trustId = validateTrustId(id);
    await this.#audit.require(caller, "manageTrusts", "DELETE_IDENTITY_TRUST", { trustId });
    const outcome = await this.#context.writer.run(async (db): Promise<Outcome<void>> => {
      const deleted = await db
        .deleteFrom("identity_trusts")
        .where("tenant_id", "=", caller.tenantId)
        .where("id", "=", trustId)
        .executeTakeFirst();
      if (deleted.numDeletedRows === 0n) {
        await this.#audit.recordIn(db, caller, "DELETE_IDENTITY_TRUST", "NOT_FOUND", { trustId });
        return fail(trustNotFound(caller, trustId));
      }
      await this.#audit.recordIn(db, caller, "DELETE_IDENTITY_TRUST", "SUCCESS", { trustId });
      return ok(undefined);
    });
    unwrap(outcome);
  }
}

/** Checks a trust's id: a UUID, as `identityTrusts` lists it. */
export function validateTrustId(id: unknown): string {
  try {
    return validateTokenId(id);
  } catch {
    throw badInput(
      "The trust id must be the id that identityTrusts lists (a UUID such as 0190a4f2-5c3e-7b1a-8d2f-3e4c5b6a7d8e).",
      { argument: "id" },
    );
  }
}

function trustNotFound(caller: Caller, id: string): ServiceError {
  return new ServiceError(
    "NOT_FOUND",
    `The identity trust ${id} was not found in tenant "${caller.tenantName}"; identityTrusts lists the ids there are.`,
    { extensions: { tenant: caller.tenantName, id } },
  );
}
