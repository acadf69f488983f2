import { isRoleName, ROLE_NAMES } from "@hush/schema";
import type { IdentityClaim } from "../../service/contract.js";
import { usageError } from "../cli-error.js";
import {
  type PrivateIssuersFlags,
  type StorageFlags,
  withInitialisedService,
} from "../common-options.js";
import type { CliIo } from "../io.js";
import { DEFAULT_TENANT } from "./init.js";
import { trustJson } from "./trust-list.js";

/** What `hush-server trust create` takes. */
export interface TrustCreateOptions extends StorageFlags, PrivateIssuersFlags {
  issuer?: string | undefined;
  audience?: string | undefined;
  /** The subject, exactly or as a glob with `*`. */
  subject?: string | undefined;
  /** `NAME=VALUE`, each a claim the tokens must carry. */
  claim?: string[] | undefined;
  /** One of `ROLE_NAMES` but TENANT_ADMIN, in any case; RUNNER when absent. */
  role?: string | undefined;
  /** The environments issued tokens may use, comma-separated; every one when absent. */
  env?: string | undefined;
  /** How long issued tokens last: `900`, `900s`, `15m` or `2h`; 15 minutes when absent. */
  ttl?: string | undefined;
  /** The tenant; "default" when absent. */
  tenant?: string | undefined;
  json?: boolean | undefined;
}

const TTL = /^(\d{1,6})([smh]?)$/;
const SECONDS = { "": 1, s: 1, m: 60, h: 3600 } as const;

/** `--ttl` in seconds: a whole number of seconds, minutes (`15m`) or hours (`2h`). */
export function parseTtl(text: string): number {
  const match = TTL.exec(text.trim());
  if (match === null) {
    throw usageError(
      `--ttl must be a duration such as 900s, 15m or 2h, not "${text}".`,
      "trust create",
    );
  }
  return Number(match[1]) * SECONDS[match[2] as keyof typeof SECONDS];
}

/** `--claim NAME=VALUE`, each split at its first `=`. */
function parseClaims(claims: readonly string[]): IdentityClaim[] {
  return claims.map((claim) => {
    const at = claim.indexOf("=");
    if (at <= 0) {
      throw usageError(
        "--claim must be NAME=VALUE, e.g. repository_owner=acme (the value may hold * globs).",
        "trust create",
      );
    }
    return { name: claim.slice(0, at), value: claim.slice(at + 1) };
  });
}

/**
 * Creates an identity trust in a tenant directly in the database, without an admin token, with
 * the same checks as the createIdentityTrust mutation.
 */
export async function trustCreate(values: TrustCreateOptions, io: CliIo): Promise<number> {
  const { issuer, audience, subject } = values;
  for (const [flag, value] of [
    ["--issuer", issuer],
    ["--audience", audience],
    ["--subject", subject],
  ] as const) {
    if (value === undefined) throw usageError(`${flag} is required.`, "trust create");
  }
  const role = values.role?.toUpperCase() ?? "RUNNER";
  if (!isRoleName(role)) {
    throw usageError(`--role must be one of ${ROLE_NAMES.join(", ")}.`, "trust create");
  }
  const ttlSeconds = values.ttl === undefined ? undefined : parseTtl(values.ttl);
  const claims = parseClaims(values.claim ?? []);
  const tenantName = values.tenant ?? DEFAULT_TENANT;
  return withInitialisedService(values, io, async (service) => {
    const environments =
      values.env === undefined ? null : values.env.split(",").map((e) => e.trim());
    const trust = await service.createIdentityTrustOffline(tenantName, {
      issuer: issuer as string,
      audience: audience as string,
      subject: subject as string,
      claims,
      role,
      environments,
      ttlSeconds,
    });
    if (values.json) {
      io.stdout.write(`${JSON.stringify(trustJson(trust))}\n`);
    } else {
      io.stdout.write(
        `Created the identity trust ${trust.id} in tenant "${tenantName}": tokens of ${trust.issuer} for the audience "${trust.audience}" with the subject "${trust.subject}" exchange for ${trust.role} tokens lasting ${trust.ttlSeconds} s` +
          `${trust.environments === null ? "" : `, for the environments ${trust.environments.join(", ")}`}.\n` +
          "A workload exchanges its token with the exchangeIdentityToken mutation (hush login --oidc).\n",
      );
    }
    return 0;
  });
}
