import { GraphQLError } from "../graphql-js.js";

/**
 * A GraphQL error for an input the caller must fix. Thrown from scalar parsing, where graphql-js
 * reports a GraphQLError as it is (keeping the code) instead of wrapping it.
 */
export function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });
}
