import { typeDefs } from "@hush/schema";
import { buildSchema, GraphQLError, GraphQLScalarType, type GraphQLSchema, Kind } from "graphql";

let schema: GraphQLSchema | undefined;

/**
 * hush's schema, built from the shared SDL, with the `DateTime` scalar checked as the server
 * checks it. `JSON` keeps buildSchema's defaults, which accept any JSON literal or variable.
 */
export function fakeSchema(): GraphQLSchema {
  schema ??= build();
  return schema;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function build(): GraphQLSchema {
  const built = buildSchema(typeDefs);
  const dateTime = built.getType("DateTime");
  if (!(dateTime instanceof GraphQLScalarType)) {
    throw new Error("The hush schema has no DateTime scalar.");
  }
  // A schema built from SDL has no scalar code; giving DateTime its rules in place is the
  // smallest way to make the fake check inputs as the server does.
  Object.assign(dateTime, {
    serialize: (value: unknown) => (value instanceof Date ? value.toISOString() : value),
    parseValue: parseDateTime,
    parseLiteral: (node: { kind: Kind; value?: unknown }) => {
      if (node.kind !== Kind.STRING) {
        throw new GraphQLError("A DateTime is an ISO-8601 string, e.g. 2026-11-27T09:30:00.000Z.");
      }
      return parseDateTime(node.value);
    },
  });
  return built;
}

function parseDateTime(value: unknown): string {
  if (typeof value === "string" && ISO_DATE_TIME.test(value)) {
    const time = Date.parse(value);
    if (!Number.isNaN(time)) return new Date(time).toISOString();
  }
  throw new GraphQLError("A DateTime is an ISO-8601 string, e.g. 2026-11-27T09:30:00.000Z.");
}
