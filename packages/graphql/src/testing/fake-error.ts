import { GraphQLError } from "graphql";

/** A GraphQL error shaped as the real server's: a message a caller can act on and a code. */
export function fakeError(
  code: string,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}
