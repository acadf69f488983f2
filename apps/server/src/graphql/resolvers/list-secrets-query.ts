import type { QuerySecretArgs } from "@hush/schema/types";
import type { ListSecretsQuery } from "../../service/contract.js";
import { ServiceError } from "../../service/errors.js";
import { checkLimit, checkListSize, checkOffset } from "../../service/limits.js";

type SortField = ListSecretsQuery["orderBy"][number]["field"];
const SORT_FIELDS: readonly SortField[] = ["name", "created", "updated"];

/** Translates the Hasura-style arguments of `secret(...)` into a service listing query. */
export function toListSecretsQuery(args: QuerySecretArgs): ListSecretsQuery {
  const query: { -readonly [K in keyof ListSecretsQuery]: ListSecretsQuery[K] } = {
    orderBy: toOrderBy(args.order_by),
  };
  const limit = checkLimit(args.limit);
  if (limit !== undefined) query.limit = limit;
  const offset = checkOffset(args.offset);
  if (offset !== undefined) query.offset = offset;
  const name = args.where?.name;
  if (name) {
    if (name._in) checkListSize("where.name._in", name._in);
    query.where = { name: { _eq: name._eq, _like: name._like, _in: name._in } };
  }
  return query;
}

function toOrderBy(orderBy: QuerySecretArgs["order_by"]): ListSecretsQuery["orderBy"] {
  const result: Array<ListSecretsQuery["orderBy"][number]> = [];
  for (const entry of orderBy ?? []) {
    const fields = SORT_FIELDS.filter(
      (field) => entry[field] !== null && entry[field] !== undefined,
    );
    if (fields.length > 1) {
      // Input objects lose the order their fields were written in, so one object cannot say
      // which field sorts first.
      throw new ServiceError(
        "BAD_USER_INPUT",
        "Each order_by object takes one field; pass a list to sort by several, e.g. order_by: [{updated: desc}, {name: asc}].",
      );
    }
    const field = fields[0];
    if (field !== undefined) result.push({ field, direction: entry[field]! });
  }
  return result;
}
