import { type DocumentNode, Kind, type OperationTypeNode } from "graphql";

/** A document's operation: its name and whether it is a query or a mutation. */
export interface Operation {
  readonly name: string | undefined;
  readonly type: OperationTypeNode | undefined;
  /** The keys the answer's `data` must have: the root fields' aliases or names. */
  readonly responseKeys: readonly string[];
}

const cache = new WeakMap<DocumentNode, Operation>();

/**
 * The single operation of `document` (fragments aside); name and type undefined when there is
 * not exactly one.
 */
export function operationOf(document: DocumentNode): Operation {
  let operation = cache.get(document);
  if (operation === undefined) {
    const definitions = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    const only = definitions.length === 1 ? definitions[0] : undefined;
    const responseKeys = (only?.selectionSet.selections ?? []).flatMap((selection) =>
      selection.kind === Kind.FIELD ? [(selection.alias ?? selection.name).value] : [],
    );
    operation = { name: only?.name?.value, type: only?.operation, responseKeys };
    cache.set(document, operation);
  }
  return operation;
}
