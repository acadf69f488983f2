import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "../graphql-js.js";

/** Bounds on a document's shape, checked before the (costlier) standard validation. */
export interface DocumentLimits {
  /** Deepest field nesting below the root; introspection subtrees are bounded by graphql-js. */
  readonly maxDepth: number;
  /** Aliases in a document, counting a fragment's aliases once per spread. */
  readonly maxAliases: number;
  /** Root fields of one operation, counting fragments once per spread. */
  readonly maxRootFields: number;
}

interface Shape {
  depth: number;
  aliases: number;
}

/**
 * Checks a parsed document against the limits in one linear pass (fragments are measured once
 * and memoised, and a fragment cycle counts as empty: the standard rules report cycles).
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
  const measured = new Map<string, Shape>();
  const inProgress = new Set<string>();

  const measureFragment = (name: string): Shape => {
    const known = measured.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (fragment === undefined || inProgress.has(name)) return { depth: 0, aliases: 0 };
    inProgress.add(name);
    const shape = measure(fragment.selectionSet);
    inProgress.delete(name);
    measured.set(name, shape);
    return shape;
  };

  const measure = (selectionSet: SelectionSetNode): Shape => {
    let depth = 0;
    let aliases = 0;
    for (const selection of selectionSet.selections) {
      let inner: Shape;
      if (selection.kind === Kind.FIELD) {
        // Introspection fields (`__schema`, `__type`) count as one level: MaxIntrospectionDepthRule
        // bounds what is below them, and GraphiQL's own introspection query is deeper than 12.
        const below =
          selection.selectionSet === undefined || selection.name.value.startsWith("__")
            ? { depth: 0, aliases: 0 }
            : measure(selection.selectionSet);
        inner = { depth: below.depth + 1, aliases: below.aliases + (selection.alias ? 1 : 0) };
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        inner = measure(selection.selectionSet);
      } else {
        inner = measureFragment(selection.name.value);
      }
      depth = Math.max(depth, inner.depth);
      aliases += inner.aliases;
    }
    return { depth, aliases };
  };

  const countRootFields = (selectionSet: SelectionSetNode, visiting: Set<string>): number => {
    let count = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        count += 1;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        count += countRootFields(selection.selectionSet, visiting);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment !== undefined && !visiting.has(fragment.name.value)) {
          visiting.add(fragment.name.value);
          count += countRootFields(fragment.selectionSet, visiting);
          visiting.delete(fragment.name.value);
        }
      }
      if (count > limits.maxRootFields) break;
    }
    return count;
  };

  const errors: GraphQLError[] = [];
  let aliases = 0;
  for (const operation of operations) {
    const shape = measure(operation.selectionSet);
    aliases += shape.aliases;
    if (shape.depth > limits.maxDepth) {
      errors.push(
        new GraphQLError(
          `The ${describe(operation)} is nested ${shape.depth} fields deep; the limit is ${limits.maxDepth}.`,
          { nodes: operation },
        ),
      );
    }
    const rootFields = countRootFields(operation.selectionSet, new Set());
    if (rootFields > limits.maxRootFields) {
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
        `The document uses ${Number.isFinite(aliases) ? aliases : "too many"} aliases; the limit is ${limits.maxAliases}.`,
      ),
    );
  }
  return errors;
}

function describe(operation: OperationDefinitionNode): string {
  return operation.name ? `operation ${operation.name.value}` : `${operation.operation}`;
}
