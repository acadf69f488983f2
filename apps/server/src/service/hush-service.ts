import type { Role } from "@hush/schema/types";
import type {
  ApiTokenMeta,
  EnvironmentMeta,
  IdentityTrustInput,
  IdentityTrustMeta,
  SecretsService,
} from "./contract.js";

/** A tenant as the admin commands see it. */
export interface TenantInfo {
  id: string;
  name: string;
  created: Date;
}

/** A token as the `hush-server token list` command shows it: with its tenant. */
export interface OfflineTokenMeta extends ApiTokenMeta {
  tenantName: string;
}

/** A trust as the `hush-server trust` commands show it: with its tenant. */
export interface OfflineTrustMeta extends IdentityTrustMeta {
  tenantName: string;
}

/**
 * The admin operations that only the `hush-server` command (someone with access to the server's
 * data) may run: methods of `DomainService` that are not the API's.
 */
/** What `hush-server env` does to a tenant's environments before listing them. */
export type OfflineEnvironmentAction =
  | { action: "list" }
  | { action: "create"; name: string }
  | { action: "delete"; name: string; force?: boolean }
  | { action: "default"; name: string };

export interface AdminOperations {
  /**
   * Lists a tenant's environments, after creating one, deleting one or making one the default,
   * as `createEnvironment`, `deleteEnvironment` and `setDefaultEnvironment` do for an admin.
   */
  environmentsOffline(
    tenantName: string,
    change: OfflineEnvironmentAction,
  ): Promise<EnvironmentMeta[]>;

  /**
   * Creates a tenant and its first `TENANT_ADMIN` token, named `admin`. The token is returned
   * only this once; only its hash is stored.
   */
  createTenant(name: string): Promise<{ tenant: { id: string; name: string }; token: string }>;

  /** Creates a token in a tenant without a caller: the way back in after losing the admin token. */
  createTokenOffline(input: {
    tenantName: string;
    role: Role;
    name: string;
    expiresAt?: Date | null;
    /** The environments the token may use (names of the tenant's); null for every one. */
    environments?: readonly string[] | null;
  }): Promise<{ id: string; token: string }>;

  /** The tokens of one tenant, or of all, by tenant then oldest first; never the tokens themselves. */
  listTokensOffline(tenantName?: string): Promise<OfflineTokenMeta[]>;

  /**
   * Revokes a token by id, in whatever tenant, without a caller: for the operator who has the
   * database but no admin token. Audited as done by `hush-server`; revoking twice keeps the
   * first time. A tenant's last active TENANT_ADMIN token is revoked only with `force`.
   */
  revokeTokenOffline(
    id: string,
    options?: { force?: boolean },
  ): Promise<OfflineTokenMeta & { wasRevoked: boolean }>;

  /**
   * Creates an identity trust in a tenant, as `createIdentityTrust` does for its admin; audited
   * as done by `hush-server`.
   */
  createIdentityTrustOffline(
    tenantName: string,
    input: IdentityTrustInput,
  ): Promise<OfflineTrustMeta>;

  /** The identity trusts of one tenant, or of all, by tenant then oldest first. */
  listIdentityTrustsOffline(tenantName?: string): Promise<OfflineTrustMeta[]>;

  /**
   * Deletes an identity trust by id, in whatever tenant; the tokens it issued work until they
   * expire. Answers the trust deleted.
   */
  deleteIdentityTrustOffline(id: string): Promise<OfflineTrustMeta>;

  /** Every tenant, oldest first. */
  listTenants(): Promise<TenantInfo[]>;

  /**
   * Deletes the audit events past the retention now, as the background sweep does every
   * `auditPruneIntervalMs`; answers how many it deleted.
   */
  pruneAuditEvents(): Promise<number>;
}

// Typed against the interface both ways: an admin operation cannot be left out, nor a name kept
// that is not one.
const ADMIN = {
  environmentsOffline: true,
  createTenant: true,
  createTokenOffline: true,
  listTokensOffline: true,
  revokeTokenOffline: true,
  createIdentityTrustOffline: true,
  listIdentityTrustsOffline: true,
  deleteIdentityTrustOffline: true,
  listTenants: true,
  pruneAuditEvents: true,
} as const satisfies Record<keyof AdminOperations, true>;

/** The names of the admin operations, at run time: `DomainService`'s methods the API leaves out. */
export const ADMIN_OPERATIONS = Object.keys(ADMIN) as ReadonlyArray<keyof AdminOperations>;

/** The service behind the API plus the admin operations, as `openService` returns it. */
export interface HushService extends SecretsService, AdminOperations {
  /** Which database this service stores into. */
  readonly backend: "sqlite" | "postgres";
}
