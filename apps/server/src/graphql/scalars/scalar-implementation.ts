import type { ValueNode } from "../graphql-js.js";

/** The three functions a custom scalar needs; attached to the SDL's scalar by the schema builder. */
export interface ScalarImplementation<TInternal> {
  serialize(value: unknown): unknown;
  parseValue(value: unknown): TInternal;
  parseLiteral(node: ValueNode): TInternal;
}
