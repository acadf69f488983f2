import { Kind, type ValueNode } from "../graphql-js.js";
import { badInput } from "./bad-input.js";
import { isRefusedJsonKey, REFUSED_JSON_KEYS } from "./json-keys.js";
import type { ScalarImplementation } from "./scalar-implementation.js";

/**
 * `JSON`: any JSON value. Variables arrive already parsed from the request body; literals are
 * read from the document; results are serialised as they are. An object key that the body
 * parser refuses in variables (`__proto__`) is refused in a literal too, with BAD_USER_INPUT.
 */
export const jsonScalar: ScalarImplementation<unknown> = {
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node) => literalToJson(node),
};

function literalToJson(node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return node.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map(literalToJson);
    case Kind.OBJECT: {
      const object: Record<string, unknown> = {};
      for (const field of node.fields) {
        const key = field.name.value;
        const value = literalToJson(field.value);
        if (isRefusedJsonKey(key, value)) {
          throw badInput(
            `A JSON value cannot hold ${REFUSED_JSON_KEYS}: rename the key, or store the value as a string.`,
          );
        }
        object[key] = value;
      }
      return object;
    }
    case Kind.VARIABLE:
      // graphql-jit reads literals once, at compile time, without variables: a nested variable
      // would silently become nothing. Say so instead.
      throw badInput(
        `A JSON literal cannot contain the variable $${node.name.value}: pass the whole value as one variable instead, e.g. ($value: JSON!) … value: $value.`,
      );
    case Kind.ENUM:
      throw badInput('A JSON literal cannot contain a bare word: quote strings, e.g. "VALUE".');
  }
}
