import type { Resolvers } from "../../generated/resolvers.js";
import { mutationResolvers } from "./mutation-resolvers.js";
import { queryResolvers } from "./query-resolvers.js";

/** Every resolver of the schema; types not listed here use their record's fields as they are. */
export const resolvers: Resolvers = {
  Query: queryResolvers,
  Mutation: mutationResolvers,
  Me: {
    tenant: (caller) => ({ id: caller.tenantId, name: caller.tenantName }),
    environment: (caller, _args, context) => context.service.defaultEnvironment(caller),
    environments: (caller) => (caller.environments == null ? null : [...caller.environments]),
  },
};
