import type { IdentityTrustFieldsFragment } from "@hush/graphql";
import { isRoleName, ROLE_NAMES } from "@hush/schema/roles";
import { usageError } from "../cli-error.js";
import type { CommandContext } from "../command-context.js";
import { table } from "../output.js";
import { printJsonOr } from "./print.js";

export interface TrustCreateInput {
  issuer: string;
  audience: string;
  subject: string;
  /** `--claim name=value`, repeated. */
  claim?: string[] | undefined;
  role?: string | undefined;
  /**
   * `--env E`, repeated or comma-separated (as `hush-server trust create` takes it): the
   * environments issued tokens may use; all of them when absent.
   */
  env?: string[] | undefined;
  /** `--ttl 15m`: how long an issued token lasts. */
  ttl?: string | undefined;
  json?: boolean | undefined;
}

const TTL = /^(\d+)\s*(s|m|h)?$/i;
const SECONDS_PER = { s: 1, m: 60, h: 3600 } as const;

/** `--ttl` in seconds: `900`, `900s`, `15m` or `1h`. */
export function ttlSeconds(ttl: string): number {
  const match = TTL.exec(ttl.trim());
  if (match === null) {
    throw usageError(
      `--ttl takes a number of seconds, or minutes or hours such as 15m or 1h, not "${ttl}".`,
    );
  }
  const unit = (match[2]?.toLowerCase() ?? "s") as keyof typeof SECONDS_PER;
  return Number(match[1]) * SECONDS_PER[unit];
}

/** The claims `--claim name=value` names, in order. */
function claimsOf(claims: readonly string[]): { name: string; value: string }[] {
  return claims.map((claim) => {
    const at = claim.indexOf("=");
    if (at <= 0) {
      throw usageError(
        `--claim takes name=value, such as --claim repository_owner=acme, not "${claim}".`,
      );
    }
    return { name: claim.slice(0, at).trim(), value: claim.slice(at + 1) };
  });
}

/**
 * `hush trust create`: trusts an issuer's workload identities (audience, subject pattern and
 * claims) to be exchanged for short-lived tokens with a role and environments.
 */
export async function trustCreate(input: TrustCreateInput, context: CommandContext): Promise<void> {
  const role = input.role?.toUpperCase();
  if (role !== undefined && !isRoleName(role)) {
    throw usageError(
      `--role must be one of ${ROLE_NAMES.filter((r) => r !== "TENANT_ADMIN").join(", ")}.`,
    );
  }
  const environments =
    input.env === undefined
      ? undefined
      : [...new Set(input.env.flatMap((e) => e.split(",")).map((e) => e.trim()))];
  if (environments?.some((name) => name === ""))
    throw usageError("--env needs an environment's name.");
  const trust = await context.client().createIdentityTrust({
    issuer: input.issuer,
    audience: input.audience,
    subject: input.subject,
    ...(input.claim === undefined ? {} : { claims: claimsOf(input.claim) }),
    ...(role === undefined ? {} : { role }),
    ...(environments === undefined ? {} : { environments }),
    ...(input.ttl === undefined ? {} : { ttlSeconds: ttlSeconds(input.ttl) }),
  });
  if (input.json) context.out.json(trust);
  else {
    context.out.data(trust.id);
    context.out.info(
      `Trusted ${trust.issuer} for subject "${trust.subject}" (audience "${trust.audience}"): ${trust.role} tokens for ${scope(trust)}, lasting ${trust.ttlSeconds} s (id ${trust.id}).`,
    );
  }
}

/** `hush trust list`: the tenant's identity trusts. */
export async function trustList(
  input: { json?: boolean | undefined },
  context: CommandContext,
): Promise<void> {
  const trusts = await context.client().identityTrusts();
  printJsonOr(context, input, trusts, () =>
    trusts.length === 0
      ? "No identity trusts; add one with `hush trust create`."
      : table(
          ["ID", "ISSUER", "AUDIENCE", "SUBJECT", "CLAIMS", "ROLE", "ENVIRONMENTS", "TTL"],
          trusts.map((t) => [
            t.id,
            t.issuer,
            t.audience,
            t.subject,
            t.claims.map((c) => `${c.name}=${c.value}`).join(",") || "-",
            t.role,
            t.environments?.join(",") ?? "all",
            `${t.ttlSeconds}s`,
          ]),
        ),
  );
}

/** `hush trust delete ID`: tokens it issued keep working until they expire. */
export async function trustDelete(input: { id: string }, context: CommandContext): Promise<void> {
  await context.client().deleteIdentityTrust({ id: input.id });
  context.out.info(
    `Deleted the identity trust ${input.id}. Tokens it issued work until they expire; revoke them with \`hush tokens revoke\` to stop them sooner.`,
  );
}

function scope(trust: IdentityTrustFieldsFragment): string {
  return trust.environments == null
    ? "every environment"
    : `environments ${trust.environments.join(", ")}`;
}
