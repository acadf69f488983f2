import type * as Types from "@hush/schema/types";
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { SecretMeta, SecretVersionMeta, ApiTokenMeta, AuditEventRecord, Caller, EnvironmentMeta, IdentityTrustMeta, ExchangedToken, SecretChangeRecord, SecretChangesPage, WebhookMeta, CreatedWebhook, WebhookDeliveryRecord } from '../service/contract.js';
import type { RequestContext } from '../graphql/context.js';
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };


export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = {}, TContext = {}, TArgs = {}> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = {}, TContext = {}, TArgs = {}> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = {}, TContext = {}> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Types.Maybe<TTypes> | Promise<Types.Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = {}, TContext = {}> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = {}, TParent = {}, TContext = {}, TArgs = {}> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  ApiToken: ResolverTypeWrapper<ApiTokenMeta>;
  AuditAction: Types.AuditAction;
  AuditEvent: ResolverTypeWrapper<AuditEventRecord>;
  AuditOutcome: Types.AuditOutcome;
  Boolean: ResolverTypeWrapper<Types.Scalars['Boolean']['output']>;
  CopySecretsInput: Types.CopySecretsInput;
  CopySecretsPayload: ResolverTypeWrapper<Types.CopySecretsPayload>;
  CreateApiTokenInput: Types.CreateApiTokenInput;
  CreateApiTokenPayload: ResolverTypeWrapper<Omit<Types.CreateApiTokenPayload, 'apiToken'> & { apiToken: ResolversTypes['ApiToken'] }>;
  CreateEnvironmentInput: Types.CreateEnvironmentInput;
  CreateIdentityTrustInput: Types.CreateIdentityTrustInput;
  CreateWebhookInput: Types.CreateWebhookInput;
  CreateWebhookPayload: ResolverTypeWrapper<CreatedWebhook>;
  DateTime: ResolverTypeWrapper<Types.Scalars['DateTime']['output']>;
  DeleteEnvironmentInput: Types.DeleteEnvironmentInput;
  DeleteIdentityTrustInput: Types.DeleteIdentityTrustInput;
  DeleteSecretInput: Types.DeleteSecretInput;
  Environment: ResolverTypeWrapper<EnvironmentMeta>;
  EnvironmentComparison: ResolverTypeWrapper<Types.EnvironmentComparison>;
  ExchangeIdentityTokenInput: Types.ExchangeIdentityTokenInput;
  ExchangeIdentityTokenPayload: ResolverTypeWrapper<ExchangedToken>;
  ID: ResolverTypeWrapper<Types.Scalars['ID']['output']>;
  IdentityClaim: ResolverTypeWrapper<Types.IdentityClaim>;
  IdentityClaimInput: Types.IdentityClaimInput;
  IdentityTrust: ResolverTypeWrapper<IdentityTrustMeta>;
  Int: ResolverTypeWrapper<Types.Scalars['Int']['output']>;
  JSON: ResolverTypeWrapper<Types.Scalars['JSON']['output']>;
  Me: ResolverTypeWrapper<Caller>;
  Mutation: ResolverTypeWrapper<{}>;
  Query: ResolverTypeWrapper<{}>;
  RevokeApiTokenInput: Types.RevokeApiTokenInput;
  Role: Types.Role;
  RollbackSecretInput: Types.RollbackSecretInput;
  RollbackSecretPayload: ResolverTypeWrapper<Types.RollbackSecretPayload>;
  Secret: ResolverTypeWrapper<SecretMeta>;
  SecretChange: ResolverTypeWrapper<SecretChangeRecord>;
  SecretChangeAction: Types.SecretChangeAction;
  SecretChangesPage: ResolverTypeWrapper<SecretChangesPage>;
  SecretComparison: ResolverTypeWrapper<Types.SecretComparison>;
  SecretDifference: Types.SecretDifference;
  SecretVersion: ResolverTypeWrapper<SecretVersionMeta>;
  SecretWritten: ResolverTypeWrapper<Types.SecretWritten>;
  SetDefaultEnvironmentInput: Types.SetDefaultEnvironmentInput;
  SetSecretInput: Types.SetSecretInput;
  SetSecretPayload: ResolverTypeWrapper<Types.SetSecretPayload>;
  SetSecretsInput: Types.SetSecretsInput;
  SetSecretsPayload: ResolverTypeWrapper<Types.SetSecretsPayload>;
  String: ResolverTypeWrapper<Types.Scalars['String']['output']>;
  String_comparison_exp: Types.String_Comparison_Exp;
  SuccessPayload: ResolverTypeWrapper<Types.SuccessPayload>;
  Tenant: ResolverTypeWrapper<Types.Tenant>;
  Webhook: ResolverTypeWrapper<WebhookMeta>;
  WebhookDelivery: ResolverTypeWrapper<WebhookDeliveryRecord>;
  WebhookDeliveryStatus: Types.WebhookDeliveryStatus;
  WebhookIdInput: Types.WebhookIdInput;
  delete_secret_input: Types.Delete_Secret_Input;
  order_by: Types.Order_By;
  secret_bool_exp: Types.Secret_Bool_Exp;
  secret_order_by: Types.Secret_Order_By;
  set_secret_input: Types.Set_Secret_Input;
  set_secrets_input: Types.Set_Secrets_Input;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  ApiToken: ApiTokenMeta;
  AuditEvent: AuditEventRecord;
  Boolean: Types.Scalars['Boolean']['output'];
  CopySecretsInput: Types.CopySecretsInput;
  CopySecretsPayload: Types.CopySecretsPayload;
  CreateApiTokenInput: Types.CreateApiTokenInput;
  CreateApiTokenPayload: Omit<Types.CreateApiTokenPayload, 'apiToken'> & { apiToken: ResolversParentTypes['ApiToken'] };
  CreateEnvironmentInput: Types.CreateEnvironmentInput;
  CreateIdentityTrustInput: Types.CreateIdentityTrustInput;
  CreateWebhookInput: Types.CreateWebhookInput;
  CreateWebhookPayload: CreatedWebhook;
  DateTime: Types.Scalars['DateTime']['output'];
  DeleteEnvironmentInput: Types.DeleteEnvironmentInput;
  DeleteIdentityTrustInput: Types.DeleteIdentityTrustInput;
  DeleteSecretInput: Types.DeleteSecretInput;
  Environment: EnvironmentMeta;
  EnvironmentComparison: Types.EnvironmentComparison;
  ExchangeIdentityTokenInput: Types.ExchangeIdentityTokenInput;
  ExchangeIdentityTokenPayload: ExchangedToken;
  ID: Types.Scalars['ID']['output'];
  IdentityClaim: Types.IdentityClaim;
  IdentityClaimInput: Types.IdentityClaimInput;
  IdentityTrust: IdentityTrustMeta;
  Int: Types.Scalars['Int']['output'];
  JSON: Types.Scalars['JSON']['output'];
  Me: Caller;
  Mutation: {};
  Query: {};
  RevokeApiTokenInput: Types.RevokeApiTokenInput;
  RollbackSecretInput: Types.RollbackSecretInput;
  RollbackSecretPayload: Types.RollbackSecretPayload;
  Secret: SecretMeta;
  SecretChange: SecretChangeRecord;
  SecretChangesPage: SecretChangesPage;
  SecretComparison: Types.SecretComparison;
  SecretVersion: SecretVersionMeta;
  SecretWritten: Types.SecretWritten;
  SetDefaultEnvironmentInput: Types.SetDefaultEnvironmentInput;
  SetSecretInput: Types.SetSecretInput;
  SetSecretPayload: Types.SetSecretPayload;
  SetSecretsInput: Types.SetSecretsInput;
  SetSecretsPayload: Types.SetSecretsPayload;
  String: Types.Scalars['String']['output'];
  String_comparison_exp: Types.String_Comparison_Exp;
  SuccessPayload: Types.SuccessPayload;
  Tenant: Types.Tenant;
  Webhook: WebhookMeta;
  WebhookDelivery: WebhookDeliveryRecord;
  WebhookIdInput: Types.WebhookIdInput;
  delete_secret_input: Types.Delete_Secret_Input;
  secret_bool_exp: Types.Secret_Bool_Exp;
  secret_order_by: Types.Secret_Order_By;
  set_secret_input: Types.Set_Secret_Input;
  set_secrets_input: Types.Set_Secrets_Input;
};

export type ApiTokenResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ApiToken'] = ResolversParentTypes['ApiToken']> = {
  created?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  environments?: Resolver<Types.Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  expiresAt?: Resolver<Types.Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Types.Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type AuditEventResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AuditEvent'] = ResolversParentTypes['AuditEvent']> = {
  action?: Resolver<ResolversTypes['AuditAction'], ParentType, ContextType>;
  actor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  actorTokenId?: Resolver<Types.Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  copiedTo?: Resolver<Types.Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  environment?: Resolver<Types.Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  outcome?: Resolver<ResolversTypes['AuditOutcome'], ParentType, ContextType>;
  secretName?: Resolver<Types.Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  secretNameCount?: Resolver<Types.Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  secretNames?: Resolver<Types.Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  subject?: Resolver<Types.Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  suppressed?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  tokenId?: Resolver<Types.Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  tokenName?: Resolver<Types.Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  trustId?: Resolver<Types.Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  version?: Resolver<Types.Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  webhookId?: Resolver<Types.Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type CopySecretsPayloadResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CopySecretsPayload'] = ResolversParentTypes['CopySecretsPayload']> = {
  copied?: Resolver<Array<ResolversTypes['SecretWritten']>, ParentType, ContextType>;
  skipped?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type CreateApiTokenPayloadResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CreateApiTokenPayload'] = ResolversParentTypes['CreateApiTokenPayload']> = {
  apiToken?: Resolver<ResolversTypes['ApiToken'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type CreateWebhookPayloadResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CreateWebhookPayload'] = ResolversParentTypes['CreateWebhookPayload']> = {
  signingSecret?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  webhook?: Resolver<ResolversTypes['Webhook'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type EnvironmentResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Environment'] = ResolversParentTypes['Environment']> = {
  created?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  isDefault?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  secretCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type EnvironmentComparisonResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['EnvironmentComparison'] = ResolversParentTypes['EnvironmentComparison']> = {
  equal?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  from?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  secrets?: Resolver<Array<ResolversTypes['SecretComparison']>, ParentType, ContextType>;
  to?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ExchangeIdentityTokenPayloadResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ExchangeIdentityTokenPayload'] = ResolversParentTypes['ExchangeIdentityTokenPayload']> = {
  environments?: Resolver<Types.Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  tenant?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type IdentityClaimResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['IdentityClaim'] = ResolversParentTypes['IdentityClaim']> = {
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type IdentityTrustResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['IdentityTrust'] = ResolversParentTypes['IdentityTrust']> = {
  audience?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  claims?: Resolver<Array<ResolversTypes['IdentityClaim']>, ParentType, ContextType>;
  created?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  createdBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  environments?: Resolver<Types.Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  issuer?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  subject?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  ttlSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type MeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Me'] = ResolversParentTypes['Me']> = {
  environment?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  environments?: Resolver<Types.Maybe<Array<ResolversTypes['String']>>, ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  tenant?: Resolver<ResolversTypes['Tenant'], ParentType, ContextType>;
  tokenId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  tokenName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type MutationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  copySecrets?: Resolver<ResolversTypes['CopySecretsPayload'], ParentType, ContextType, RequireFields<Types.MutationCopySecretsArgs, 'input'>>;
  createApiToken?: Resolver<ResolversTypes['CreateApiTokenPayload'], ParentType, ContextType, RequireFields<Types.MutationCreateApiTokenArgs, 'input'>>;
  createEnvironment?: Resolver<ResolversTypes['Environment'], ParentType, ContextType, RequireFields<Types.MutationCreateEnvironmentArgs, 'input'>>;
  createIdentityTrust?: Resolver<ResolversTypes['IdentityTrust'], ParentType, ContextType, RequireFields<Types.MutationCreateIdentityTrustArgs, 'input'>>;
  createWebhook?: Resolver<ResolversTypes['CreateWebhookPayload'], ParentType, ContextType, RequireFields<Types.MutationCreateWebhookArgs, 'input'>>;
  deleteEnvironment?: Resolver<ResolversTypes['SuccessPayload'], ParentType, ContextType, RequireFields<Types.MutationDeleteEnvironmentArgs, 'input'>>;
  deleteIdentityTrust?: Resolver<ResolversTypes['SuccessPayload'], ParentType, ContextType, RequireFields<Types.MutationDeleteIdentityTrustArgs, 'input'>>;
  deleteSecret?: Resolver<ResolversTypes['SuccessPayload'], ParentType, ContextType, RequireFields<Types.MutationDeleteSecretArgs, 'input'>>;
  deleteWebhook?: Resolver<ResolversTypes['SuccessPayload'], ParentType, ContextType, RequireFields<Types.MutationDeleteWebhookArgs, 'input'>>;
  delete_secret?: Resolver<ResolversTypes['SuccessPayload'], ParentType, ContextType, RequireFields<Types.MutationDelete_SecretArgs, 'input'>>;
  enableWebhook?: Resolver<ResolversTypes['Webhook'], ParentType, ContextType, RequireFields<Types.MutationEnableWebhookArgs, 'input'>>;
  exchangeIdentityToken?: Resolver<ResolversTypes['ExchangeIdentityTokenPayload'], ParentType, ContextType, RequireFields<Types.MutationExchangeIdentityTokenArgs, 'input'>>;
  revokeApiToken?: Resolver<ResolversTypes['SuccessPayload'], ParentType, ContextType, RequireFields<Types.MutationRevokeApiTokenArgs, 'input'>>;
  rollbackSecret?: Resolver<ResolversTypes['RollbackSecretPayload'], ParentType, ContextType, RequireFields<Types.MutationRollbackSecretArgs, 'input'>>;
  setDefaultEnvironment?: Resolver<ResolversTypes['Environment'], ParentType, ContextType, RequireFields<Types.MutationSetDefaultEnvironmentArgs, 'input'>>;
  setSecret?: Resolver<ResolversTypes['SetSecretPayload'], ParentType, ContextType, RequireFields<Types.MutationSetSecretArgs, 'input'>>;
  setSecrets?: Resolver<ResolversTypes['SetSecretsPayload'], ParentType, ContextType, RequireFields<Types.MutationSetSecretsArgs, 'input'>>;
  set_secret?: Resolver<ResolversTypes['SetSecretPayload'], ParentType, ContextType, RequireFields<Types.MutationSet_SecretArgs, 'input'>>;
  set_secrets?: Resolver<ResolversTypes['SetSecretsPayload'], ParentType, ContextType, RequireFields<Types.MutationSet_SecretsArgs, 'input'>>;
};

export type QueryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  apiTokens?: Resolver<Array<ResolversTypes['ApiToken']>, ParentType, ContextType>;
  auditEvents?: Resolver<Array<ResolversTypes['AuditEvent']>, ParentType, ContextType, RequireFields<Types.QueryAuditEventsArgs, 'limit' | 'offset'>>;
  compareEnvironments?: Resolver<ResolversTypes['EnvironmentComparison'], ParentType, ContextType, RequireFields<Types.QueryCompareEnvironmentsArgs, 'from' | 'to'>>;
  environments?: Resolver<Array<ResolversTypes['Environment']>, ParentType, ContextType>;
  identityTrusts?: Resolver<Array<ResolversTypes['IdentityTrust']>, ParentType, ContextType>;
  me?: Resolver<ResolversTypes['Me'], ParentType, ContextType>;
  secret?: Resolver<Array<ResolversTypes['Secret']>, ParentType, ContextType, Partial<Types.QuerySecretArgs>>;
  secretChanges?: Resolver<ResolversTypes['SecretChangesPage'], ParentType, ContextType, RequireFields<Types.QuerySecretChangesArgs, 'limit'>>;
  secretNames?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType, Partial<Types.QuerySecretNamesArgs>>;
  secretValue?: Resolver<Types.Maybe<ResolversTypes['JSON']>, ParentType, ContextType, RequireFields<Types.QuerySecretValueArgs, 'name'>>;
  secretValues?: Resolver<Types.Maybe<ResolversTypes['JSON']>, ParentType, ContextType, Partial<Types.QuerySecretValuesArgs>>;
  secretVersions?: Resolver<Array<ResolversTypes['SecretVersion']>, ParentType, ContextType, RequireFields<Types.QuerySecretVersionsArgs, 'name'>>;
  secret_names?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  secret_value?: Resolver<Types.Maybe<ResolversTypes['JSON']>, ParentType, ContextType, RequireFields<Types.QuerySecret_ValueArgs, 'name'>>;
  webhookDeliveries?: Resolver<Array<ResolversTypes['WebhookDelivery']>, ParentType, ContextType, RequireFields<Types.QueryWebhookDeliveriesArgs, 'limit' | 'offset' | 'webhook'>>;
  webhooks?: Resolver<Array<ResolversTypes['Webhook']>, ParentType, ContextType>;
};

export type RollbackSecretPayloadResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['RollbackSecretPayload'] = ResolversParentTypes['RollbackSecretPayload']> = {
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SecretResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Secret'] = ResolversParentTypes['Secret']> = {
  created?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  updated?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  updatedBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SecretChangeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SecretChange'] = ResolversParentTypes['SecretChange']> = {
  action?: Resolver<ResolversTypes['SecretChangeAction'], ParentType, ContextType>;
  actor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  environment?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<Types.Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  tenant?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  version?: Resolver<Types.Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SecretChangesPageResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SecretChangesPage'] = ResolversParentTypes['SecretChangesPage']> = {
  changes?: Resolver<Array<ResolversTypes['SecretChange']>, ParentType, ContextType>;
  cursor?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SecretComparisonResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SecretComparison'] = ResolversParentTypes['SecretComparison']> = {
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['SecretDifference'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SecretVersionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SecretVersion'] = ResolversParentTypes['SecretVersion']> = {
  created?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  createdBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  deleted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasValue?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SecretWrittenResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SecretWritten'] = ResolversParentTypes['SecretWritten']> = {
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  unchanged?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SetSecretPayloadResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SetSecretPayload'] = ResolversParentTypes['SetSecretPayload']> = {
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SetSecretsPayloadResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SetSecretsPayload'] = ResolversParentTypes['SetSecretsPayload']> = {
  secrets?: Resolver<Array<ResolversTypes['SecretWritten']>, ParentType, ContextType>;
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SuccessPayloadResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SuccessPayload'] = ResolversParentTypes['SuccessPayload']> = {
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type TenantResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Tenant'] = ResolversParentTypes['Tenant']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type WebhookResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Webhook'] = ResolversParentTypes['Webhook']> = {
  created?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  createdBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  disabledAt?: Resolver<Types.Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  environment?: Resolver<Types.Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  events?: Resolver<Types.Maybe<Array<ResolversTypes['SecretChangeAction']>>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastOutcome?: Resolver<Types.Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  url?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type WebhookDeliveryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['WebhookDelivery'] = ResolversParentTypes['WebhookDelivery']> = {
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  change?: Resolver<ResolversTypes['SecretChange'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lastAttemptAt?: Resolver<Types.Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  lastOutcome?: Resolver<Types.Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  nextAttemptAt?: Resolver<Types.Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['WebhookDeliveryStatus'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type Resolvers<ContextType = RequestContext> = {
  ApiToken?: ApiTokenResolvers<ContextType>;
  AuditEvent?: AuditEventResolvers<ContextType>;
  CopySecretsPayload?: CopySecretsPayloadResolvers<ContextType>;
  CreateApiTokenPayload?: CreateApiTokenPayloadResolvers<ContextType>;
  CreateWebhookPayload?: CreateWebhookPayloadResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Environment?: EnvironmentResolvers<ContextType>;
  EnvironmentComparison?: EnvironmentComparisonResolvers<ContextType>;
  ExchangeIdentityTokenPayload?: ExchangeIdentityTokenPayloadResolvers<ContextType>;
  IdentityClaim?: IdentityClaimResolvers<ContextType>;
  IdentityTrust?: IdentityTrustResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Me?: MeResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RollbackSecretPayload?: RollbackSecretPayloadResolvers<ContextType>;
  Secret?: SecretResolvers<ContextType>;
  SecretChange?: SecretChangeResolvers<ContextType>;
  SecretChangesPage?: SecretChangesPageResolvers<ContextType>;
  SecretComparison?: SecretComparisonResolvers<ContextType>;
  SecretVersion?: SecretVersionResolvers<ContextType>;
  SecretWritten?: SecretWrittenResolvers<ContextType>;
  SetSecretPayload?: SetSecretPayloadResolvers<ContextType>;
  SetSecretsPayload?: SetSecretsPayloadResolvers<ContextType>;
  SuccessPayload?: SuccessPayloadResolvers<ContextType>;
  Tenant?: TenantResolvers<ContextType>;
  Webhook?: WebhookResolvers<ContextType>;
  WebhookDelivery?: WebhookDeliveryResolvers<ContextType>;
};

