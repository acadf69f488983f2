import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "../graphql-js.js";

/**
 * The Query fields that read values, each with the argument that names what it reads: one name
 * (`name: String!`) or a list (`names: [String!]`, every secret when null or left out).
 */
const VALUE_FIELDS: Readonly<Record<string, { argument: string; list: boolean }>> = {
  secretValue: { argument: "name", list: false },
  secret_value: { argument: "name", list: false },
  secretValues: { argument: "names", list: true },
};

/** A value-reading field of an operation, as written: its names are known once variables are. */
export interface ValueField {
  /** The names argument as written; undefined when left out. */
  readonly names: ValueNode | undefined;
  readonly list: boolean;
}

/**
 * The value-reading fields of `operation`, aliases and fragments included (every one is counted,
 * whatever `@skip` or `@include` say: a request is weighed by what it may read). They can only
 * be root fields of a query, or of fragments spread there.
 */
export function valueFieldsOf(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): ValueField[] {
  if (operation.operation !== "query") return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const fields: ValueField[] = [];
  // Validation has run (no fragment cycles), and each spread of a fragment counts.
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const reads = VALUE_FIELDS[selection.name.value];
        if (reads === undefined) continue;
        const argument = selection.arguments?.find((a) => a.name.value === reads.argument);
        fields.push({ names: argument?.value, list: reads.list });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment !== undefined) visit(fragment.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return fields;
}

/**
 * The names each field reads with these variables (undefined: every secret), before they are
 * checked: the service weighs the request by them. A single name where a list is expected is a
 * list of one, as GraphQL coerces it; anything that is not a name still counts as one.
 */
export function requestedValues(
  fields: readonly ValueField[],
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): Array<readonly unknown[] | undefined> {
  const written = (node: ValueNode): unknown => {
    if (node.kind === Kind.STRING) return node.value;
    if (node.kind === Kind.NULL) return null;
    if (node.kind === Kind.LIST) return node.values.map(written);
    if (node.kind !== Kind.VARIABLE) return node.kind;
    const name = node.name.value;
    if (variables !== undefined && Object.hasOwn(variables, name)) return variables[name];
    const defaultValue = operation.variableDefinitions?.find(
      (definition) => definition.variable.name.value === name,
    )?.defaultValue;
    return defaultValue === undefined ? undefined : written(defaultValue);
  };
  return fields.map((field) => {
    const value = field.names === undefined ? undefined : written(field.names);
    if (value === undefined || value === null) return field.list ? undefined : [];
    return Array.isArray(value) ? value : [value];
  });
}
