import type { QueryResolvers } from "../../generated/resolvers.js";
import { checkLimit, checkListSize, checkOffset } from "../../service/limits.js";
import { toListSecretsQuery } from "./list-secrets-query.js";
import { requireCaller } from "./require-caller.js";

// Prefect's snake_case twins have no `environment` argument: they act in the default one.
const secretNames: QueryResolvers["secretNames"] = (_root, args, context) =>
  context.service.secretNames(requireCaller(context), args?.environment);

const secretValue: QueryResolvers["secretValue"] = (_root, args, context) =>
  context.service.secretValue(
    requireCaller(context),
    args.name,
    context.readBudget,
    "environment" in args ? args.environment : undefined,
  );

/** The Query root: each field is one service call; Prefect 1.x names share their twins' code. */
export const queryResolvers: QueryResolvers = {
  secret: (_root, args, context) => {
    const caller = requireCaller(context);
    return context.service.listSecrets(caller, toListSecretsQuery(args), args.environment);
  },
  secretNames,
  secret_names: secretNames,
  secretValue,
  secret_value: secretValue,
  secretValues: (_root, args, context) => {
    const caller = requireCaller(context);
    // Stored JSON, written into the answer as it is (see RawJson).
    const { environment } = args;
    if (args.names == null) {
      return context.service.secretValuesJson(caller, undefined, context.readBudget, environment);
    }
    checkListSize("names", args.names);
    return context.service.secretValuesJson(caller, args.names, context.readBudget, environment);
  },
  secretVersions: (_root, args, context) =>
    context.service.secretVersions(requireCaller(context), args.name, args.environment),
  apiTokens: (_root, _args, context) => context.service.apiTokens(requireCaller(context)),
  auditEvents: (_root, args, context) => {
    const caller = requireCaller(context);
    return context.service.auditEvents(caller, {
      limit: checkLimit(args.limit) ?? 100,
      offset: checkOffset(args.offset) ?? 0,
      name: args.name,
      action: args.action,
      environment: args.environment,
    });
  },
  environments: (_root, _args, context) => context.service.environments(requireCaller(context)),
  compareEnvironments: (_root, args, context) =>
    context.service.compareEnvironments(requireCaller(context), args.from, args.to),
  identityTrusts: (_root, _args, context) => context.service.identityTrusts(requireCaller(context)),
  secretChanges: (_root, args, context) =>
    context.service.secretChanges(
      requireCaller(context),
      {
        after: args.after,
        names: args.names,
        waitSeconds: args.waitSeconds,
        limit: args.limit,
      },
      args.environment,
    ),
  webhooks: (_root, _args, context) => context.service.webhooks(requireCaller(context)),
  webhookDeliveries: (_root, args, context) =>
    context.service.webhookDeliveries(requireCaller(context), args.webhook, {
      limit: args.limit,
      offset: args.offset,
    }),
  me: (_root, _args, context) => requireCaller(context),
};
