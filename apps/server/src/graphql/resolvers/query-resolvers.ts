import type { QueryResolvers } from "../../generated/resolvers.js";
import { checkLimit, checkListSize, checkOffset } from "../../service/limits.js";
import { toListSecretsQuery } from "./list-secrets-query.js";
import { requireCaller } from "./require-caller.js";

const secretNames: QueryResolvers["secretNames"] = (_root, _args, context) =>
  context.service.secretNames(requireCaller(context));

const secretValue: QueryResolvers["secretValue"] = (_root, args, context) =>
  context.service.secretValue(requireCaller(context), args.name, context.readBudget);

/** The Query root: each field is one service call; Prefect 1.x names share their twins' code. */
export const queryResolvers: QueryResolvers = {
  secret: (_root, args, context) => {
    const caller = requireCaller(context);
    return context.service.listSecrets(caller, toListSecretsQuery(args));
  },
  secretNames,
  secret_names: secretNames,
  secretValue,
  secret_value: secretValue,
  secretValues: (_root, args, context) => {
    const caller = requireCaller(context);
    // Stored JSON, written into the answer as it is (see RawJson).
    if (args.names == null) {
      return context.service.secretValuesJson(caller, undefined, context.readBudget);
    }
    checkListSize("names", args.names);
    return context.service.secretValuesJson(caller, args.names, context.readBudget);
  },
  secretVersions: (_root, args, context) =>
    context.service.secretVersions(requireCaller(context), args.name),
  apiTokens: (_root, _args, context) => context.service.apiTokens(requireCaller(context)),
  auditEvents: (_root, args, context) => {
    const caller = requireCaller(context);
    return context.service.auditEvents(caller, {
      limit: checkLimit(args.limit) ?? 100,
      offset: checkOffset(args.offset) ?? 0,
      name: args.name,
      action: args.action,
    });
  },
  me: (_root, _args, context) => requireCaller(context),
};
