import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "./graphql-js.js";

/**
 * Whether an operation introspects the schema: selects `__schema` or `__type` at its root,
 * directly or through fragments (`__typename` does not count). Only callers with a valid token,
 * of any role, may: the schema is no secret (it is published as `@hush/schema`), but an
 * anonymous caller has no use for it, and a scanner learns no more than that a token is needed.
 */
export function introspects(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode): boolean =>
    set.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) {
        return selection.name.value === "__schema" || selection.name.value === "__type";
      }
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      const name = selection.name.value;
      if (seen.has(name)) return false;
      seen.add(name);
      const fragment = fragments.get(name);
      return fragment !== undefined && visit(fragment.selectionSet);
    });
  return visit(operation.selectionSet);
}

/** The answer to an anonymous introspection. */
export const INTROSPECTION_NEEDS_A_TOKEN =
  'Introspection needs an API token of any role: send the header "Authorization: Bearer hush_…". The schema is also published as schema.graphql in the @hush/schema package.';
