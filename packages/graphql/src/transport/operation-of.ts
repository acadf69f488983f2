import type { DocumentNode, OperationTypeNode } from "graphql";

/** A document's operation: its name and whether it is a query or a mutation. */
export interface Operation {
  readonly name: string | undefined;
  readonly type: OperationTypeNode | undefined;
  /** The keys the answer's `data` must have: the root fields' aliases or names. */
  readonly responseKeys: readonly string[];
  /** The names of the variables it declares, without `$`. */
  readonly variables: readonly string[];
}

const operations = new WeakMap<DocumentNode, Operation>();
const texts = new WeakMap<DocumentNode, string>();
// Only graphql's printer, loaded on the first request: the whole of graphql takes ~60 ms to load.
let printer: Promise<(document: DocumentNode) => string> | undefined;

/**
 * The single operation of `document` (fragments aside); name and type undefined when there is
 * not exactly one.
 */
export function operationOf(document: DocumentNode): Operation {
  let operation = operations.get(document);
  if (operation === undefined) {
    const definitions = document.definitions.filter((d) => d.kind === "OperationDefinition");
    const only = definitions.length === 1 ? definitions[0] : undefined;
    const responseKeys = (only?.selectionSet.selections ?? []).flatMap((selection) =>
      selection.kind === "Field" ? [(selection.alias ?? selection.name).value] : [],
    );
    const variables = (only?.variableDefinitions ?? []).map((v) => v.variable.name.value);
    operation = { name: only?.name?.value, type: only?.operation, responseKeys, variables };
    operations.set(document, operation);
  }
  return operation;
}

type PrintFunction = (document: DocumentNode) => string;

/** The document as GraphQL text, printed once. */
export async function documentText(document: DocumentNode): Promise<string> {
  let text = texts.get(document);
  if (text === undefined) {
    printer ??= import("graphql/language/printer.js").then(
      // A bundler that splits CommonJS into a chunk of its own may offer only `default`.
      (module: { print?: PrintFunction; default?: { print: PrintFunction } }) =>
        module.print ?? module.default!.print,
    );
    text = (await printer)(document);
    texts.set(document, text);
  }
  return text;
}
