import { typeDefs } from "@hush/schema";
import {
  buildSchema,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  isObjectType,
  isScalarType,
} from "./graphql-js.js";
import { resolvers } from "./resolvers/resolvers.js";
import { dateTimeScalar } from "./scalars/date-time-scalar.js";
import { jsonScalar } from "./scalars/json-scalar.js";

const scalars = { JSON: jsonScalar, DateTime: dateTimeScalar } as const;

/**
 * hush's schema (from `@hush/schema`) with the server's resolvers and scalars attached. Built
 * once per app; graphql-jit compiles documents against it.
 */
export function createExecutableSchema(): GraphQLSchema {
  const schema = buildSchema(typeDefs);
  for (const [name, config] of Object.entries(scalars)) {
    const type = schema.getType(name);
    if (!isScalarType(type)) throw new Error(`The schema has no scalar ${name}.`);
    type.serialize = config.serialize;
    type.parseValue = config.parseValue;
    type.parseLiteral = config.parseLiteral;
  }
  for (const [typeName, fieldResolvers] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`The schema has no object type ${typeName}.`);
    const fields = type.getFields();
    for (const [fieldName, resolve] of Object.entries(fieldResolvers as object)) {
      const field = fields[fieldName];
      if (field === undefined) throw new Error(`The schema has no field ${typeName}.${fieldName}.`);
      field.resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
    }
  }
  return schema;
}
