import type { MutationResolvers } from "../../generated/resolvers.js";
import { requireCaller } from "./require-caller.js";

// Prefect's snake_case twins have no `environment` argument: they act in the default one.
const setSecret: MutationResolvers["setSecret"] = async (_root, args, context) => {
  const { version } = await context.service.setSecret(
    requireCaller(context),
    args.input.name,
    args.input.value,
    "environment" in args ? args.environment : undefined,
  );
  return { success: true, version };
};

const setSecrets: MutationResolvers["setSecrets"] = async (_root, args, context) => {
  const secrets = await context.service.setSecrets(
    requireCaller(context),
    args.input.secrets,
    { skipUnchanged: args.input.skipUnchanged },
    "environment" in args ? args.environment : undefined,
  );
  return { success: true, secrets };
};

const deleteSecret: MutationResolvers["deleteSecret"] = async (_root, args, context) => {
  await context.service.deleteSecret(
    requireCaller(context),
    args.input.name,
    "environment" in args ? args.environment : undefined,
  );
  return { success: true };
};

/** The Mutation root: each field is one service call; Prefect 1.x names share their twins' code. */
export const mutationResolvers: MutationResolvers = {
  setSecret,
  set_secret: setSecret,
  setSecrets,
  set_secrets: setSecrets,
  deleteSecret,
  delete_secret: deleteSecret,
  rollbackSecret: async (_root, { input, environment }, context) => {
    const { version } = await context.service.rollbackSecret(
      requireCaller(context),
      input.name,
      input.version,
      environment,
    );
    return { success: true, version };
  },
  createApiToken: async (_root, { input }, context) => {
    const { token, apiToken } = await context.service.createApiToken(requireCaller(context), {
      name: input.name,
      role: input.role,
      // The shared schema types give DateTime as the wire's string; the DateTime scalar has
      // already parsed it into a Date, which `new Date` copies as it is.
      expiresAt: input.expiresAt == null ? null : new Date(input.expiresAt),
      environments: input.environments ?? null,
    });
    return { id: apiToken.id, token, apiToken };
  },
  revokeApiToken: async (_root, { input }, context) => {
    await context.service.revokeApiToken(requireCaller(context), input.id);
    return { success: true };
  },
  createEnvironment: (_root, { input }, context) =>
    context.service.createEnvironment(requireCaller(context), input.name),
  deleteEnvironment: async (_root, { input }, context) => {
    await context.service.deleteEnvironment(
      requireCaller(context),
      input.name,
      input.force ?? false,
    );
    return { success: true };
  },
  setDefaultEnvironment: (_root, { input }, context) =>
    context.service.setDefaultEnvironment(requireCaller(context), input.name),
  createWebhook: (_root, { input }, context) =>
    context.service.createWebhook(requireCaller(context), input),
  deleteWebhook: async (_root, { input }, context) => {
    await context.service.deleteWebhook(requireCaller(context), input.id);
    return { success: true };
  },
  enableWebhook: (_root, { input }, context) =>
    context.service.enableWebhook(requireCaller(context), input.id),
  copySecrets: async (_root, { input }, context) => {
    const { copied, skipped } = await context.service.copySecrets(requireCaller(context), input);
    return { success: true, copied, skipped };
  },
  createIdentityTrust: (_root, { input }, context) =>
    context.service.createIdentityTrust(requireCaller(context), input),
  deleteIdentityTrust: async (_root, { input }, context) => {
    await context.service.deleteIdentityTrust(requireCaller(context), input.id);
    return { success: true };
  },
  // The one operation that needs no caller: the identity token is the credential.
  exchangeIdentityToken: (_root, { input }, context) =>
    context.service.exchangeIdentityToken(
      { token: input.token, tenant: input.tenant },
      { address: context.clientAddress },
    ),
};
