import { containsTokenLike } from "@hush/schema";
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "../graphql-js.js";

/**
 * How deep a list or object written in a document may nest. graphql-jit compiles literals into
 * code that recurses once per level, so a literal a few thousand levels deep overflows the stack
 * while the request runs; deep values belong in variables, where the JSON scalar bounds them.
 */
export const MAX_LITERAL_DEPTH = 100;

/** How deep `value` nests lists and objects, counted without recursion (a literal may be huge). */
function literalDepth(value: ValueNode): number {
  let deepest = 0;
  const pending: Array<[ValueNode, number]> = [[value, 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (node.kind === Kind.LIST) {
      deepest = Math.max(deepest, depth + 1);
      for (const item of node.values) pending.push([item, depth + 1]);
    } else if (node.kind === Kind.OBJECT) {
      deepest = Math.max(deepest, depth + 1);
      for (const field of node.fields) pending.push([field.value, depth + 1]);
    }
  }
  return deepest;
}

/** Bounds on a document's shape, checked before the (costlier) standard validation. */
export interface DocumentLimits {
  /** Deepest field nesting below the root; introspection subtrees are bounded by graphql-js. */
  readonly maxDepth: number;
  /** Aliases in a document, counting a fragment's aliases once per spread. */
  readonly maxAliases: number;
  /** Root fields of one operation, counting fragments once per spread. */
  readonly maxRootFields: number;
  /**
   * Fields and fragment spreads of one operation once every fragment spread is replaced by the
   * fragment's selections: what validation and execution may walk.
   */
  readonly maxSelections: number;
}

/** What a selection set amounts to once its fragment spreads are inlined. */
interface Shape {
  /** Deepest field nesting. */
  readonly depth: number;
  readonly aliases: number;
  /** Fields and spreads at every level. */
  readonly selections: number;
  /** Fields at the top level (the root fields, for an operation). */
  readonly fields: number;
}

const EMPTY: Shape = { depth: 0, aliases: 0, selections: 0, fields: 0 };

/**
 * Checks a parsed document against the limits in one pass linear in the document's size:
 * each fragment is measured once and its shape reused at every spread, so a document whose
 * spreads double at every level costs no more than its text. A fragment cycle counts as empty
 * (the standard rules report cycles), and so does a spread of an unknown fragment.
 *
 * Also refuses aliases that cannot be a key of a JavaScript result object (`__proto__`) and
 * aliases shaped like an API token, which would otherwise be echoed in the response.
 */
export function checkDocumentLimits(
  document: DocumentNode,
  limits: DocumentLimits,
): GraphQLError[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: OperationDefinitionNode[] = [];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    } else if (definition.kind === Kind.OPERATION_DEFINITION) {
      operations.push(definition);
    }
  }
  const errors: GraphQLError[] = [];
  const measured = new Map<string, Shape>();
  const inProgress = new Set<string>();

  const measureFragment = (name: string): Shape => {
    const known = measured.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (fragment === undefined || inProgress.has(name)) return EMPTY;
    inProgress.add(name);
    const shape = measure(fragment.selectionSet);
    inProgress.delete(name);
    measured.set(name, shape);
    return shape;
  };

  const measureField = (field: FieldNode): Shape => {
    if (field.alias !== undefined) checkAlias(field.alias.value, field, errors);
    for (const argument of field.arguments ?? []) {
      const depth = literalDepth(argument.value);
      if (depth > MAX_LITERAL_DEPTH) {
        errors.push(
          new GraphQLError(
            `The argument ${argument.name.value} of ${field.name.value} is a value nested ${depth} levels deep; the limit for a value written in the document is ${MAX_LITERAL_DEPTH}. Send it as a variable instead.`,
            { nodes: argument },
          ),
        );
      }
    }
    // Introspection fields (`__schema`, `__type`) count as one level: MaxIntrospectionDepthRule
    // bounds what is below them, and GraphiQL's own introspection query is deeper than 12.
    const below =
      field.selectionSet === undefined || field.name.value.startsWith("__")
        ? EMPTY
        : measure(field.selectionSet);
    return {
      depth: below.depth + 1,
      aliases: below.aliases + (field.alias ? 1 : 0),
      selections: below.selections + 1,
      fields: 1,
    };
  };

  const measure = (selectionSet: SelectionSetNode): Shape => {
    let depth = 0;
    let aliases = 0;
    let selections = 0;
    let fields = 0;
    for (const selection of selectionSet.selections) {
      let inner: Shape;
      if (selection.kind === Kind.FIELD) {
        inner = measureField(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = measure(selection.selectionSet);
      } else {
        const fragment = measureFragment(selection.name.value);
        inner = { ...fragment, selections: fragment.selections + 1 };
      }
      // Sums may pass Number.MAX_VALUE in a hostile document and become Infinity, which still
      // compares above every limit.
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
      selections += inner.selections;
      fields += inner.fields;
    }
    return { depth, aliases, selections, fields };
  };

  let aliases = 0;
  for (const operation of operations) {
    const shape = measure(operation.selectionSet);
    aliases += shape.aliases;
    if (shape.selections > limits.maxSelections) {
      errors.push(
        new GraphQLError(
          `The ${describe(operation)} selects more than ${limits.maxSelections} fields once its fragments are expanded; send a smaller document.`,
          { nodes: operation },
        ),
      );
      // Depth and root fields of such a document say nothing more that is useful.
      continue;
    }
    if (shape.depth > limits.maxDepth) {
      errors.push(
        new GraphQLError(
          `The ${describe(operation)} is nested ${shape.depth} fields deep; the limit is ${limits.maxDepth}.`,
          { nodes: operation },
        ),
      );
    }
    if (shape.fields > limits.maxRootFields) {
      errors.push(
        new GraphQLError(
          `The ${describe(operation)} selects more than ${limits.maxRootFields} root fields; split it into several requests, or read several values at once with secretValues(names: […]).`,
          { nodes: operation },
        ),
      );
    }
  }
  if (aliases > limits.maxAliases) {
    errors.push(
      new GraphQLError(
        Number.isSafeInteger(aliases)
          ? `The document uses ${aliases} aliases; the limit is ${limits.maxAliases}.`
          : `The document uses more than ${limits.maxAliases} aliases, the limit.`,
      ),
    );
  }
  return errors;
}

function checkAlias(alias: string, field: FieldNode, errors: GraphQLError[]): void {
  if (alias === "__proto__") {
    // graphql-jit builds results as object literals, where this key sets the prototype instead
    // of a field: the field would vanish from the response.
    errors.push(
      new GraphQLError('The alias "__proto__" cannot be used; choose another alias.', {
        nodes: field,
      }),
    );
  } else if (containsTokenLike(alias)) {
    errors.push(
      new GraphQLError(
        "An alias looks like an API token (hush_…); choose another alias, and revoke the token if it is a real one.",
        { nodes: field },
      ),
    );
  }
}

function describe(operation: OperationDefinitionNode): string {
  return operation.name ? `operation ${operation.name.value}` : `${operation.operation}`;
}
