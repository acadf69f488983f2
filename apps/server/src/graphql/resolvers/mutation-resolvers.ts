import type { MutationResolvers } from "../../generated/resolvers.js";
import { requireCaller } from "./require-caller.js";

const setSecret: MutationResolvers["setSecret"] = async (_root, { input }, context) => {
  const { version } = await context.service.setSecret(
    requireCaller(context),
    input.name,
    input.value,
  );
  return { success: true, version };
};

const setSecrets: MutationResolvers["setSecrets"] = async (_root, { input }, context) => {
  const secrets = await context.service.setSecrets(requireCaller(context), input.secrets, {
    skipUnchanged: input.skipUnchanged,
  });
  return { success: true, secrets };
};

const deleteSecret: MutationResolvers["deleteSecret"] = async (_root, { input }, context) => {
  await context.service.deleteSecret(requireCaller(context), input.name);
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
  rollbackSecret: async (_root, { input }, context) => {
    const { version } = await context.service.rollbackSecret(
      requireCaller(context),
      input.name,
      input.version,
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
    });
    return { id: apiToken.id, token, apiToken };
  },
  revokeApiToken: async (_root, { input }, context) => {
    await context.service.revokeApiToken(requireCaller(context), input.id);
    return { success: true };
  },
};
