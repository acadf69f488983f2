export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A point in time as an ISO-8601 string in UTC, e.g. `2026-11-27T09:30:00.000Z`. */
  DateTime: { input: string; output: string; }
  /**
   * Any JSON value: a string, number, boolean, object, array or null. Secret values are JSON, as in
   * Prefect: `"VALUE"`, `42`, `{"user": "a", "password": "b"}`.
   */
  JSON: { input: unknown; output: unknown; }
};

/** A bearer API token's metadata. The token itself is shown once, when it is created. */
export type ApiToken = {
  __typename?: 'ApiToken';
  /** When the token was created. */
  created: Scalars['DateTime']['output'];
  /** The environments the token may use; null for every environment. */
  environments?: Maybe<Array<Scalars['String']['output']>>;
  /** When the token stops working, if ever. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  /** The token's id, used to revoke it. */
  id: Scalars['ID']['output'];
  /**
   * A name to recognise the token by, e.g. `ci-runner`: unique in the tenant (revoked tokens
   * included), 1 to 100 characters, without control, bidi, zero-width or line-separator characters.
   */
  name: Scalars['String']['output'];
  /** When the token was revoked, if it was. */
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  /** What the token may do. */
  role: Role;
};

/** What an audit event records. */
export type AuditAction =
  /**
   * Secrets were copied from this event's environment to another (`copySecrets`); the copies
   * are SET_SECRET events in the other environment.
   */
  | 'COPY_SECRETS'
  /** An API token was created. */
  | 'CREATE_API_TOKEN'
  /** An environment was created (`createEnvironment`); the event's environment is the new one. */
  | 'CREATE_ENVIRONMENT'
  /** An identity trust was created (`createIdentityTrust`); `trustId` names it. */
  | 'CREATE_IDENTITY_TRUST'
  /** A webhook was created (`createWebhook`); `webhookId` names it. */
  | 'CREATE_WEBHOOK'
  /**
   * An environment was deleted (`deleteEnvironment`); the event's environment is the deleted one.
   * With `force`, the secrets deleted with it are named as by a call over several secrets
   * (`secretName`, or `secretNames` and `secretNameCount`).
   */
  | 'DELETE_ENVIRONMENT'
  /** An identity trust was deleted (`deleteIdentityTrust`); `trustId` names it. */
  | 'DELETE_IDENTITY_TRUST'
  /** A secret was deleted. */
  | 'DELETE_SECRET'
  /** A webhook was deleted (`deleteWebhook`); `webhookId` names it. */
  | 'DELETE_WEBHOOK'
  /** A disabled webhook was enabled again (`enableWebhook`); `webhookId` names it. */
  | 'ENABLE_WEBHOOK'
  /**
   * A workload exchanged an identity token (`exchangeIdentityToken`): `trustId` names the trust,
   * `subject` the token's subject, `tokenId` and `tokenName` the API token issued. The identity
   * token itself is never kept.
   */
  | 'EXCHANGE_IDENTITY_TOKEN'
  /** A secret's value was read. */
  | 'READ_SECRET_VALUE'
  /** An API token was revoked. */
  | 'REVOKE_API_TOKEN'
  /** A secret was rolled back to an earlier version. */
  | 'ROLLBACK_SECRET'
  /**
   * An environment was made the tenant's default (`setDefaultEnvironment`); the event's
   * environment is the new default.
   */
  | 'SET_DEFAULT_ENVIRONMENT'
  /** A secret was set. */
  | 'SET_SECRET';

/** One audited action: who, what, when, and how it ended; never a value. */
export type AuditEvent = {
  __typename?: 'AuditEvent';
  /** What was attempted. */
  action: AuditAction;
  /**
   * Who did it: the name the API token used had then, or `hush-server` for the server's own
   * commands. Names are unique in a tenant, but `actorTokenId` is what identifies the token.
   */
  actor: Scalars['String']['output'];
  /** The id of the API token used (as `apiTokens` lists it); null for the server's own commands. */
  actorTokenId?: Maybe<Scalars['ID']['output']>;
  /** When it happened; for an event that counts several attempts, the first. */
  at: Scalars['DateTime']['output'];
  /**
   * For COPY_SECRETS: the environment the secrets were copied to (each copy is also a SET_SECRET
   * event there).
   */
  copiedTo?: Maybe<Scalars['String']['output']>;
  /**
   * How many attempts it stands for: the same token doing the same thing (reading the same
   * secret version, or being refused the same way) within the same minute counts here.
   */
  count: Scalars['Int']['output'];
  /**
   * The environment the event happened in, by the name it had (also once it is deleted: a new
   * environment of that name has events of its own); for a refused call that named an environment
   * the tenant does not have, that name. Null for events about no environment (tokens).
   */
  environment?: Maybe<Scalars['String']['output']>;
  /** The event's id. */
  id: Scalars['ID']['output'];
  /** When the last of those attempts happened (`at` when `count` is 1). */
  lastAt: Scalars['DateTime']['output'];
  /** How it ended. */
  outcome: AuditOutcome;
  /** The secret concerned, if any. */
  secretName?: Maybe<Scalars['String']['output']>;
  /** For a call over several secrets: how many names it named. */
  secretNameCount?: Maybe<Scalars['Int']['output']>;
  /**
   * For a call over several secrets: the first names it named (at most 20; `secretName` is
   * null), never a value.
   */
  secretNames?: Maybe<Array<Scalars['String']['output']>>;
  /** For EXCHANGE_IDENTITY_TOKEN: the identity token's subject (`sub`), never the token. */
  subject?: Maybe<Scalars['String']['output']>;
  /**
   * True for the event that counts a token's refused or missed calls past its limit per minute
   * (`count` of them); their names are not kept.
   */
  suppressed: Scalars['Boolean']['output'];
  /**
   * For CREATE_API_TOKEN and REVOKE_API_TOKEN: the id of the token created or revoked (as
   * `apiTokens` lists it).
   */
  tokenId?: Maybe<Scalars['ID']['output']>;
  /** For CREATE_API_TOKEN and REVOKE_API_TOKEN: that token's name, when such a token exists. */
  tokenName?: Maybe<Scalars['String']['output']>;
  /** For the identity trust events: the trust's id. */
  trustId?: Maybe<Scalars['ID']['output']>;
  /** The secret version written or read, if any. */
  version?: Maybe<Scalars['Int']['output']>;
  /** For the webhook events: the webhook's id. */
  webhookId?: Maybe<Scalars['ID']['output']>;
};

/** How the audited attempt ended. */
export type AuditOutcome =
  /** The caller's role does not allow it. */
  | 'DENIED'
  /** The secret, token or environment does not exist. */
  | 'NOT_FOUND'
  /** It was carried out. */
  | 'SUCCESS';

/** Copies secrets from one environment to another on the server: values never reach the caller. */
export type CopySecretsInput = {
  /** The environment to copy from. */
  from: Scalars['String']['input'];
  /** The secrets to copy; every secret of `from` when omitted or null. */
  names?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Overwrite secrets that `to` already holds; without it they are skipped. */
  overwrite?: InputMaybe<Scalars['Boolean']['input']>;
  /** The environment to copy to. */
  to: Scalars['String']['input'];
};

/** The result of copying secrets. */
export type CopySecretsPayload = {
  __typename?: 'CopySecretsPayload';
  /** Each secret written in `to`, with its new version. */
  copied: Array<SecretWritten>;
  /** The names left as they were because `to` already held them. */
  skipped: Array<Scalars['String']['output']>;
  /** Always true when no error is returned. */
  success: Scalars['Boolean']['output'];
};

/** Creates an API token in the caller's tenant. */
export type CreateApiTokenInput = {
  /** The environments the token may use; every environment when omitted or null. */
  environments?: InputMaybe<Array<Scalars['String']['input']>>;
  /** When the token stops working; never when omitted. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /**
   * A name to recognise the token by, not yet used by another token of the tenant (revoked ones
   * included): 1 to 100 characters, without control, bidi, zero-width or line-separator characters.
   */
  name: Scalars['String']['input'];
  /** What the token may do. */
  role: Role;
};

/** A newly created API token. */
export type CreateApiTokenPayload = {
  __typename?: 'CreateApiTokenPayload';
  /** The token's metadata. */
  apiToken: ApiToken;
  /** The token's id. */
  id: Scalars['ID']['output'];
  /** The bearer token (`hush_…`). It is shown only this once: store it now. */
  token: Scalars['String']['output'];
};

/** Creates an environment. */
export type CreateEnvironmentInput = {
  /** The name: lowercase letters, digits and `-`, 1 to 32 characters. */
  name: Scalars['String']['input'];
};

/** Creates an identity trust in the caller's tenant. */
export type CreateIdentityTrustInput = {
  /** The audience the tokens must be issued for. */
  audience: Scalars['String']['input'];
  /** Further claims the tokens must carry. */
  claims?: InputMaybe<Array<IdentityClaimInput>>;
  /** The environments the issued tokens may use; every environment when omitted or null. */
  environments?: InputMaybe<Array<Scalars['String']['input']>>;
  /**
   * The issuer's URL: `https://`, or `http://` on a loopback address; a private network address
   * only when the server allows it (`--allow-private-issuers`).
   */
  issuer: Scalars['String']['input'];
  /** The role of the issued tokens: RUNNER when omitted; never TENANT_ADMIN. */
  role?: InputMaybe<Role>;
  /** The subject the tokens must have: exactly, or a glob with `*`. */
  subject: Scalars['String']['input'];
  /** How long an issued token lasts, in seconds: 60 to 43200, 900 (15 minutes) when omitted. */
  ttlSeconds?: InputMaybe<Scalars['Int']['input']>;
};

/** Registers a webhook in the caller's tenant. */
export type CreateWebhookInput = {
  /** Only changes in this environment; every environment when omitted. */
  environment?: InputMaybe<Scalars['String']['input']>;
  /** Only these actions; every action when omitted. */
  events?: InputMaybe<Array<SecretChangeAction>>;
  /**
   * The endpoint: `https://`, or `http://` on a loopback address; a private network address only
   * when the server allows it (`--allow-private-webhooks`).
   */
  url: Scalars['String']['input'];
};

/** A webhook just created, with its signing secret. */
export type CreateWebhookPayload = {
  __typename?: 'CreateWebhookPayload';
  /**
   * The key of the deliveries' `X-Hush-Signature` (`sha256=` hex HMAC of the body). It is shown
   * only this once: store it now.
   */
  signingSecret: Scalars['String']['output'];
  /** The webhook. */
  webhook: Webhook;
};

/** Deletes an environment, never the tenant's last one. */
export type DeleteEnvironmentInput = {
  /** Delete it with its secrets; without it, an environment that holds secrets is refused. */
  force?: InputMaybe<Scalars['Boolean']['input']>;
  /** The environment's name. */
  name: Scalars['String']['input'];
};

/**
 * Deletes an identity trust; tokens it issued keep working until they expire (revoke them to stop
 * them sooner).
 */
export type DeleteIdentityTrustInput = {
  /** The trust's id. */
  id: Scalars['ID']['input'];
};

/** Deletes a secret. */
export type DeleteSecretInput = {
  /** The secret's name. */
  name: Scalars['String']['input'];
};

/**
 * An environment of the tenant (`production`, `staging`…): each holds its own secrets, with their
 * values, versions and audit events.
 */
export type Environment = {
  __typename?: 'Environment';
  /** When it was created. */
  created: Scalars['DateTime']['output'];
  /** Whether requests that name no environment use it (unless the token has exactly one). */
  isDefault: Scalars['Boolean']['output'];
  /** The name: lowercase letters, digits and `-`, 1 to 32 characters. */
  name: Scalars['String']['output'];
  /** How many secrets it holds (deleted ones not counted). */
  secretCount: Scalars['Int']['output'];
};

/**
 * The comparison of two environments' secrets, computed on the server from keyed digests of the
 * values: it tells only whether values are equal.
 */
export type EnvironmentComparison = {
  __typename?: 'EnvironmentComparison';
  /** True when every secret is SAME. */
  equal: Scalars['Boolean']['output'];
  /** The environment compared from. */
  from: Scalars['String']['output'];
  /** Every secret of either environment, sorted by name. */
  secrets: Array<SecretComparison>;
  /** The environment compared to. */
  to: Scalars['String']['output'];
};

/** Exchanges a workload's OpenID Connect token for a short-lived API token. */
export type ExchangeIdentityTokenInput = {
  /** The tenant's name; may be omitted when the trusts of only one tenant match the token. */
  tenant?: InputMaybe<Scalars['String']['input']>;
  /** The identity token (a JWT signed by the issuer with RS256 or ES256). */
  token: Scalars['String']['input'];
};

/** The API token an identity token was exchanged for. */
export type ExchangeIdentityTokenPayload = {
  __typename?: 'ExchangeIdentityTokenPayload';
  /** The environments the token may use; null for every environment. */
  environments?: Maybe<Array<Scalars['String']['output']>>;
  /** When the token stops working. */
  expiresAt: Scalars['DateTime']['output'];
  /** What the token may do. */
  role: Role;
  /** The tenant the token belongs to. */
  tenant: Scalars['String']['output'];
  /** The bearer token (`hush_…`), valid until `expiresAt`; kept nowhere by hush but the caller. */
  token: Scalars['String']['output'];
};

/**
 * A claim an identity token must carry, with the value it must have: exactly, or matching a glob
 * where `*` stands for any run of characters (`acme-*`).
 */
export type IdentityClaim = {
  __typename?: 'IdentityClaim';
  /** The claim's name, e.g. `repository_owner`. */
  name: Scalars['String']['output'];
  /** The value, or a glob of it. */
  value: Scalars['String']['output'];
};

/** A claim an identity token must carry (see `IdentityClaim`). */
export type IdentityClaimInput = {
  /** The claim's name, e.g. `repository_owner`. */
  name: Scalars['String']['input'];
  /** The value, or a glob of it (`*` for any run of characters). */
  value: Scalars['String']['input'];
};

/**
 * An identity trust: which workloads, proving who they are with an OpenID Connect token from an
 * issuer (GitHub Actions, a Kubernetes cluster…), may exchange it for a short-lived API token, and
 * what that token may do.
 */
export type IdentityTrust = {
  __typename?: 'IdentityTrust';
  /** The audience the tokens must be issued for (their `aud` claim), e.g. `hush`. */
  audience: Scalars['String']['output'];
  /** Further claims the tokens must carry. */
  claims: Array<IdentityClaim>;
  /** When the trust was created. */
  created: Scalars['DateTime']['output'];
  /** Who created it: a token's name, or `hush-server`. */
  createdBy: Scalars['String']['output'];
  /** The environments the issued tokens may use; null for every environment. */
  environments?: Maybe<Array<Scalars['String']['output']>>;
  /** The trust's id. */
  id: Scalars['ID']['output'];
  /** The issuer's URL, as the tokens' `iss` claim says it (`https://token.actions.githubusercontent.com`). */
  issuer: Scalars['String']['output'];
  /** The role of the API tokens issued (never TENANT_ADMIN). */
  role: Role;
  /**
   * The subject the tokens must have (`sub`): exactly, or matching a glob where `*` stands for any
   * run of characters (`repo:acme/*:environment:production`).
   */
  subject: Scalars['String']['output'];
  /** How long an issued token lasts, in seconds (at most 12 hours). */
  ttlSeconds: Scalars['Int']['output'];
};

/** Who is calling: the tenant and role of the caller's token. */
export type Me = {
  __typename?: 'Me';
  /**
   * The environment a request that names none uses: the token's only environment, else the
   * tenant's default.
   */
  environment: Scalars['String']['output'];
  /** The environments the token may use; null for every environment. */
  environments?: Maybe<Array<Scalars['String']['output']>>;
  /** The token's role. */
  role: Role;
  /** The tenant the token belongs to. */
  tenant: Tenant;
  /** The id of the token used for this request. */
  tokenId: Scalars['ID']['output'];
  /** The name of the token used for this request. */
  tokenName: Scalars['String']['output'];
};

/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Copies secrets from one environment to another on the server (promotion); the values never
   * reach the caller, so a USER may promote. Audited in both environments.
   */
  copySecrets: CopySecretsPayload;
  /** Creates an API token; the token is in the result, shown only this once. */
  createApiToken: CreateApiTokenPayload;
  /** Creates an environment. `TENANT_ADMIN` only. */
  createEnvironment: Environment;
  /** Trusts an issuer's workload identities (see `IdentityTrust`). `TENANT_ADMIN` only. */
  createIdentityTrust: IdentityTrust;
  /**
   * Registers a webhook; the signing secret is in the result, shown only this once.
   * `TENANT_ADMIN` only.
   */
  createWebhook: CreateWebhookPayload;
  /**
   * Deletes an environment: refused while it holds secrets unless `force`, and for the tenant's
   * last one. `TENANT_ADMIN` only.
   */
  deleteEnvironment: SuccessPayload;
  /** Deletes an identity trust. `TENANT_ADMIN` only. */
  deleteIdentityTrust: SuccessPayload;
  /** Deletes a secret; `NOT_FOUND` when there is none. Its version history is kept. */
  deleteSecret: SuccessPayload;
  /** Deletes a webhook; its pending deliveries are dropped. `TENANT_ADMIN` only. */
  deleteWebhook: SuccessPayload;
  /** Deletes a secret (Prefect 1.x name); as `deleteSecret`. */
  delete_secret: SuccessPayload;
  /**
   * Enables a webhook that was disabled after failing; deliveries resume with the next change.
   * `TENANT_ADMIN` only.
   */
  enableWebhook: Webhook;
  /**
   * Exchanges a workload's OpenID Connect token for a short-lived API token, as a trust of the
   * tenant allows; needs no Authorization header. Every refusal is `UNAUTHENTICATED` with the same
   * message whichever check failed, but when trusts of several tenants match (then it asks for
   * `tenant`). One client address may try 60 times a minute; past that, `RATE_LIMITED`.
   */
  exchangeIdentityToken: ExchangeIdentityTokenPayload;
  /**
   * Revokes an API token at once. The tenant's last active (neither revoked nor expired)
   * TENANT_ADMIN token is refused (`BAD_USER_INPUT`): create another admin token first.
   */
  revokeApiToken: SuccessPayload;
  /** Restores an earlier version's value as a new version. */
  rollbackSecret: RollbackSecretPayload;
  /** Makes an environment the tenant's default. `TENANT_ADMIN` only. */
  setDefaultEnvironment: Environment;
  /** Sets a secret (seed-era name). */
  setSecret: SetSecretPayload;
  /** Sets several secrets in one transaction: every one is written, or none is (an import). */
  setSecrets: SetSecretsPayload;
  /** Sets a secret (Prefect 1.x name); as `setSecret`. */
  set_secret: SetSecretPayload;
  /** Sets several secrets in one transaction (snake_case name); as `setSecrets`. */
  set_secrets: SetSecretsPayload;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationCopySecretsArgs = {
  input: CopySecretsInput;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationCreateApiTokenArgs = {
  input: CreateApiTokenInput;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationCreateEnvironmentArgs = {
  input: CreateEnvironmentInput;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationCreateIdentityTrustArgs = {
  input: CreateIdentityTrustInput;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationCreateWebhookArgs = {
  input: CreateWebhookInput;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationDeleteEnvironmentArgs = {
  input: DeleteEnvironmentInput;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationDeleteIdentityTrustArgs = {
  input: DeleteIdentityTrustInput;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationDeleteSecretArgs = {
  environment?: InputMaybe<Scalars['String']['input']>;
  input: DeleteSecretInput;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationDeleteWebhookArgs = {
  input: WebhookIdInput;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationDelete_SecretArgs = {
  input: Delete_Secret_Input;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationEnableWebhookArgs = {
  input: WebhookIdInput;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationExchangeIdentityTokenArgs = {
  input: ExchangeIdentityTokenInput;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationRevokeApiTokenArgs = {
  input: RevokeApiTokenInput;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationRollbackSecretArgs = {
  environment?: InputMaybe<Scalars['String']['input']>;
  input: RollbackSecretInput;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationSetDefaultEnvironmentArgs = {
  input: SetDefaultEnvironmentInput;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationSetSecretArgs = {
  environment?: InputMaybe<Scalars['String']['input']>;
  input: SetSecretInput;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationSetSecretsArgs = {
  environment?: InputMaybe<Scalars['String']['input']>;
  input: SetSecretsInput;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationSet_SecretArgs = {
  input: Set_Secret_Input;
};


/**
 * Writes. Secrets need `TENANT_ADMIN` or `USER`; tokens need `TENANT_ADMIN`. A write is
 * acknowledged only once it is committed.
 */
export type MutationSet_SecretsArgs = {
  input: Set_Secrets_Input;
};

/** Reads. Listing names needs any role; values need `TENANT_ADMIN` or `RUNNER`. */
export type Query = {
  __typename?: 'Query';
  /** The tenant's API tokens, metadata only. `TENANT_ADMIN` only. */
  apiTokens: Array<ApiToken>;
  /** The tenant's audit events, newest first. `TENANT_ADMIN` only. */
  auditEvents: Array<AuditEvent>;
  /** How two environments' secrets differ, without their values. Any role. */
  compareEnvironments: EnvironmentComparison;
  /** The tenant's environments, sorted by name (those the token may use). Any role. */
  environments: Array<Environment>;
  /** The tenant's identity trusts. `TENANT_ADMIN` only. */
  identityTrusts: Array<IdentityTrust>;
  /** The tenant and role of the caller's token. */
  me: Me;
  /** The secrets of the caller's tenant, metadata only (seed-era query, Hasura style arguments). */
  secret: Array<Secret>;
  /**
   * The committed changes of one environment after a cursor, oldest first, never a value: what
   * `hush run --watch` follows. A long-poll: with `waitSeconds`, an empty answer is held until a
   * change comes or that time passes, so plain request/response works through any proxy. Any role;
   * only environments the token may use.
   */
  secretChanges: SecretChangesPage;
  /** The names of the caller's tenant's secrets, sorted. */
  secretNames: Array<Scalars['String']['output']>;
  /**
   * A secret's current value; `NOT_FOUND` when there is no such secret (its message contains
   * `No value found for the requested key`, which Prefect 1.x clients look for). `TENANT_ADMIN` and
   * `RUNNER` only. Every read is audited.
   */
  secretValue?: Maybe<Scalars['JSON']['output']>;
  /**
   * Several secrets' current values in one round trip, as an object from name to value.
   * `NOT_FOUND` (with `extensions.names`) when any name is missing. Without `names`, every secret
   * of the tenant (`BAD_USER_INPUT` when it has more than 1000: name them). One request reads at
   * most 1000 values and the server's bytes budget (8 MiB by default), all its fields together;
   * past either it is refused whole with `BAD_USER_INPUT` (`extensions.limit`, `max`,
   * `requested`). `TENANT_ADMIN` and `RUNNER` only.
   */
  secretValues?: Maybe<Scalars['JSON']['output']>;
  /** A secret's versions, newest first: metadata only. */
  secretVersions: Array<SecretVersion>;
  /** The names of the caller's tenant's secrets, sorted (Prefect 1.x name). */
  secret_names: Array<Scalars['String']['output']>;
  /** A secret's current value (Prefect 1.x name); as `secretValue`. */
  secret_value?: Maybe<Scalars['JSON']['output']>;
  /** A webhook's deliveries, newest first. `TENANT_ADMIN` only. */
  webhookDeliveries: Array<WebhookDelivery>;
  /** The tenant's webhooks. `TENANT_ADMIN` only. */
  webhooks: Array<Webhook>;
};


/** Reads. Listing names needs any role; values need `TENANT_ADMIN` or `RUNNER`. */
export type QueryAuditEventsArgs = {
  action?: InputMaybe<AuditAction>;
  environment?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
};


/** Reads. Listing names needs any role; values need `TENANT_ADMIN` or `RUNNER`. */
export type QueryCompareEnvironmentsArgs = {
  from: Scalars['String']['input'];
  to: Scalars['String']['input'];
};


/** Reads. Listing names needs any role; values need `TENANT_ADMIN` or `RUNNER`. */
export type QuerySecretArgs = {
  environment?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  order_by?: InputMaybe<Array<Secret_Order_By>>;
  where?: InputMaybe<Secret_Bool_Exp>;
};


/** Reads. Listing names needs any role; values need `TENANT_ADMIN` or `RUNNER`. */
export type QuerySecretChangesArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  environment?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  names?: InputMaybe<Array<Scalars['String']['input']>>;
  waitSeconds?: InputMaybe<Scalars['Int']['input']>;
};


/** Reads. Listing names needs any role; values need `TENANT_ADMIN` or `RUNNER`. */
export type QuerySecretNamesArgs = {
  environment?: InputMaybe<Scalars['String']['input']>;
};


/** Reads. Listing names needs any role; values need `TENANT_ADMIN` or `RUNNER`. */
export type QuerySecretValueArgs = {
  environment?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
};


/** Reads. Listing names needs any role; values need `TENANT_ADMIN` or `RUNNER`. */
export type QuerySecretValuesArgs = {
  environment?: InputMaybe<Scalars['String']['input']>;
  names?: InputMaybe<Array<Scalars['String']['input']>>;
};


/** Reads. Listing names needs any role; values need `TENANT_ADMIN` or `RUNNER`. */
export type QuerySecretVersionsArgs = {
  environment?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
};


/** Reads. Listing names needs any role; values need `TENANT_ADMIN` or `RUNNER`. */
export type QuerySecret_ValueArgs = {
  name: Scalars['String']['input'];
};


/** Reads. Listing names needs any role; values need `TENANT_ADMIN` or `RUNNER`. */
export type QueryWebhookDeliveriesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  webhook: Scalars['ID']['input'];
};

/** Revokes an API token of the caller's tenant. */
export type RevokeApiTokenInput = {
  /** The token's id. */
  id: Scalars['ID']['input'];
};

/** What an API token may do. Values are readable only by `TENANT_ADMIN` and `RUNNER`. */
export type Role =
  /** List secret names and versions only. */
  | 'READ_ONLY_USER'
  /** Read secret values and list names: the role for flow runs and agents. */
  | 'RUNNER'
  /** Everything in the tenant: secrets, values, tokens and the audit log. */
  | 'TENANT_ADMIN'
  /** Set, delete, roll back and list secrets; cannot read values. */
  | 'USER';

/** Rolls a secret back: its value at `version` becomes a new, current version. */
export type RollbackSecretInput = {
  /** The secret's name. */
  name: Scalars['String']['input'];
  /** The version whose value to restore. */
  version: Scalars['Int']['input'];
};

/** The result of a rollback. */
export type RollbackSecretPayload = {
  __typename?: 'RollbackSecretPayload';
  /** Always true when no error is returned. */
  success: Scalars['Boolean']['output'];
  /** The new current version, holding the restored value. */
  version: Scalars['Int']['output'];
};

/**
 * A secret's metadata. There is deliberately no value field: a value can only be read through
 * `secretValue`, by a role allowed to.
 */
export type Secret = {
  __typename?: 'Secret';
  /** When the secret was first set. */
  created: Scalars['DateTime']['output'];
  /** The secret's name: `[A-Za-z0-9_.-]`, 1 to 255 characters, not starting with `.`. */
  name: Scalars['String']['output'];
  /** When the current version was written. */
  updated: Scalars['DateTime']['output'];
  /** Who wrote the current version (the name of the API token used). */
  updatedBy: Scalars['String']['output'];
  /** The number of the current version; every write makes a new one, starting at 1. */
  version: Scalars['Int']['output'];
};

/** One committed change: what, where, when and by whom; never a value. */
export type SecretChange = {
  __typename?: 'SecretChange';
  /** What happened. */
  action: SecretChangeAction;
  /** Who did it: the name of the token used, or `hush-server`. */
  actor: Scalars['String']['output'];
  /** When it was committed. */
  at: Scalars['DateTime']['output'];
  /** The environment it happened in. */
  environment: Scalars['String']['output'];
  /** The change's id, unique on the server, and the cursor to follow on from it. */
  id: Scalars['ID']['output'];
  /** The secret changed; null for environment changes and COPY. */
  name?: Maybe<Scalars['String']['output']>;
  /** The tenant's name. */
  tenant: Scalars['String']['output'];
  /** The secret version written (SET, ROLLBACK) or marking the deletion (DELETE); null otherwise. */
  version?: Maybe<Scalars['Int']['output']>;
};

/** What a change to a tenant's secrets or environments was. */
export type SecretChangeAction =
  /**
   * Secrets were copied from this environment to another (`copySecrets`); each copy is also a
   * SET in the other environment.
   */
  | 'COPY'
  /** An environment was created. */
  | 'CREATE_ENVIRONMENT'
  /** A secret was deleted. */
  | 'DELETE'
  /** An environment was deleted (with its secrets). */
  | 'DELETE_ENVIRONMENT'
  /** A secret was rolled back (a new version holding an earlier value). */
  | 'ROLLBACK'
  /** A secret was set (a new version), also by `copySecrets` in the environment copied to. */
  | 'SET';

/** A page of changes, oldest first, with the cursor to ask for the next page with. */
export type SecretChangesPage = {
  __typename?: 'SecretChangesPage';
  /** The changes after the cursor asked with, in commit order. */
  changes: Array<SecretChange>;
  /**
   * Pass this as `after` to follow on: the last change's id, or the one asked with when there was
   * none (or the newest when none was given).
   */
  cursor: Scalars['ID']['output'];
};

/** One secret's comparison: never a value. */
export type SecretComparison = {
  __typename?: 'SecretComparison';
  /** The secret's name. */
  name: Scalars['String']['output'];
  /** How it compares. */
  status: SecretDifference;
};

/** How a secret compares between two environments. */
export type SecretDifference =
  /** Both hold it, with different values. */
  | 'DIFFERENT'
  /** Only `to` holds it. */
  | 'MISSING_FROM'
  /** Only `from` holds it. */
  | 'MISSING_TO'
  /** Both hold it, with the same value. */
  | 'SAME';

/** One version of a secret: metadata only, never the value. */
export type SecretVersion = {
  __typename?: 'SecretVersion';
  /** When this version was written. */
  created: Scalars['DateTime']['output'];
  /** Who wrote this version (the name of the API token used). */
  createdBy: Scalars['String']['output'];
  /** Whether this version marks a deletion. */
  deleted: Scalars['Boolean']['output'];
  /**
   * Whether this version's value is still stored and so can be rolled back to; the oldest
   * versions keep only their metadata.
   */
  hasValue: Scalars['Boolean']['output'];
  /** The version number, from 1 upwards. */
  version: Scalars['Int']['output'];
};

/** One secret written by `setSecrets`. */
export type SecretWritten = {
  __typename?: 'SecretWritten';
  /** The secret's name. */
  name: Scalars['String']['output'];
  /** True when `skipUnchanged` left the secret as it was, its value being the one given. */
  unchanged: Scalars['Boolean']['output'];
  /** The version this write created; with `unchanged`, the current version that was kept. */
  version: Scalars['Int']['output'];
};

/** Makes an environment the tenant's default. */
export type SetDefaultEnvironmentInput = {
  /** The environment's name. */
  name: Scalars['String']['input'];
};

/** Sets a secret; setting an existing name writes a new version. */
export type SetSecretInput = {
  /** The secret's name: `[A-Za-z0-9_.-]`, 1 to 255 characters, not starting with `.`. */
  name: Scalars['String']['input'];
  /**
   * The value: any JSON (a string, number, boolean, object or array), at most 64 KiB serialised
   * unless the server is configured otherwise.
   */
  value: Scalars['JSON']['input'];
};

/** The result of setting a secret. */
export type SetSecretPayload = {
  __typename?: 'SetSecretPayload';
  /** Always true when no error is returned; kept for Prefect compatibility. */
  success: Scalars['Boolean']['output'];
  /** The version this write created. */
  version: Scalars['Int']['output'];
};

/** Sets several secrets in one transaction: all of them are written, or none is. */
export type SetSecretsInput = {
  /** The names and values (1 to 1000, each name at most once). */
  secrets: Array<SetSecretInput>;
  /**
   * Leave each secret whose current value already equals the one given as it is: no new version,
   * `unchanged: true` in the answer. Honoured only for tokens whose role may read values (a
   * TENANT_ADMIN's); for other roles every value is written, as telling whether a guess equals the
   * stored value would let them read it.
   */
  skipUnchanged?: InputMaybe<Scalars['Boolean']['input']>;
};

/** The result of setting several secrets. */
export type SetSecretsPayload = {
  __typename?: 'SetSecretsPayload';
  /** Each secret written, in the order given. */
  secrets: Array<SecretWritten>;
  /** Always true when no error is returned. */
  success: Scalars['Boolean']['output'];
};

/** Conditions on a string column, Hasura style. All given conditions must hold. */
export type String_Comparison_Exp = {
  /** Equal to this string. */
  _eq?: InputMaybe<Scalars['String']['input']>;
  /** Equal to one of these strings. */
  _in?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Matches this SQL LIKE pattern: `%` is any run of characters, `_` any one character. */
  _like?: InputMaybe<Scalars['String']['input']>;
};

/** The result of a mutation that reports only success. */
export type SuccessPayload = {
  __typename?: 'SuccessPayload';
  /** Always true when no error is returned; kept for Prefect compatibility. */
  success: Scalars['Boolean']['output'];
};

/** A tenant: the unit that owns secrets and tokens. */
export type Tenant = {
  __typename?: 'Tenant';
  /** The tenant's id. */
  id: Scalars['ID']['output'];
  /** The tenant's name. */
  name: Scalars['String']['output'];
};

/** A webhook: an HTTPS endpoint that is sent each change of the tenant's secrets, signed. */
export type Webhook = {
  __typename?: 'Webhook';
  /** When it was created. */
  created: Scalars['DateTime']['output'];
  /** Who created it. */
  createdBy: Scalars['String']['output'];
  /** When it was disabled after failing for a day; null while it is enabled. */
  disabledAt?: Maybe<Scalars['DateTime']['output']>;
  /** Only changes in this environment; null for every environment. */
  environment?: Maybe<Scalars['String']['output']>;
  /** Only these actions; null for every action. */
  events?: Maybe<Array<SecretChangeAction>>;
  /** The webhook's id. */
  id: Scalars['ID']['output'];
  /** The last delivery's outcome in words (`200 OK`, `timed out after 10 s`…), if any. */
  lastOutcome?: Maybe<Scalars['String']['output']>;
  /** Where deliveries are POSTed. */
  url: Scalars['String']['output'];
};

/** One change sent, or to be sent, to one webhook. */
export type WebhookDelivery = {
  __typename?: 'WebhookDelivery';
  /** How many times it was tried. */
  attempts: Scalars['Int']['output'];
  /** The change delivered. */
  change: SecretChange;
  /** The delivery's id: the `X-Hush-Delivery` header, the same on every try. */
  id: Scalars['ID']['output'];
  /** When it was last tried, if it was. */
  lastAttemptAt?: Maybe<Scalars['DateTime']['output']>;
  /** The last try's outcome in words (`200 OK`, `500 Internal Server Error`, `timed out after 10 s`). */
  lastOutcome?: Maybe<Scalars['String']['output']>;
  /** When it will be tried next, while PENDING. */
  nextAttemptAt?: Maybe<Scalars['DateTime']['output']>;
  /** Where it stands. */
  status: WebhookDeliveryStatus;
};

/** Where a delivery stands. */
export type WebhookDeliveryStatus =
  /** The endpoint answered 2xx. */
  | 'DELIVERED'
  /** Every try failed, or the webhook was disabled or deleted before it succeeded. */
  | 'FAILED'
  /** Not delivered yet; it will be tried (again) at `nextAttemptAt`. */
  | 'PENDING';

/** Names a webhook of the caller's tenant. */
export type WebhookIdInput = {
  /** The webhook's id. */
  id: Scalars['ID']['input'];
};

/** Deletes a secret (Prefect 1.x input name); as `DeleteSecretInput`. */
export type Delete_Secret_Input = {
  /** The secret's name. */
  name: Scalars['String']['input'];
};

/** Sort direction, Hasura style. */
export type Order_By =
  /** Ascending. */
  | 'asc'
  /** Descending. */
  | 'desc';

/** A filter on secrets, Hasura style. */
export type Secret_Bool_Exp = {
  /** Conditions on the secret's name. */
  name?: InputMaybe<String_Comparison_Exp>;
};

/** How to sort secrets: one field per object; several objects sort by each in turn. */
export type Secret_Order_By = {
  /** Sort by the time the secret was first set. */
  created?: InputMaybe<Order_By>;
  /** Sort by name. */
  name?: InputMaybe<Order_By>;
  /** Sort by the time of the secret's latest write. */
  updated?: InputMaybe<Order_By>;
};

/**
 * Sets a secret (Prefect 1.x input name); as `SetSecretInput`. Prefect 1.x clients send
 * `mutation($input: set_secret_input!) { set_secret(input: $input) { success } }` unchanged.
 */
export type Set_Secret_Input = {
  /** The secret's name: `[A-Za-z0-9_.-]`, 1 to 255 characters, not starting with `.`. */
  name: Scalars['String']['input'];
  /** The value: any JSON, as in `SetSecretInput`. */
  value: Scalars['JSON']['input'];
};

/** Sets several secrets in one transaction (snake_case name); as `SetSecretsInput`. */
export type Set_Secrets_Input = {
  /** As `SetSecretsInput.secrets`. */
  secrets: Array<SetSecretInput>;
  /** As `SetSecretsInput.skipUnchanged`. */
  skipUnchanged?: InputMaybe<Scalars['Boolean']['input']>;
};
