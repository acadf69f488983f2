import {
  coerceInputValue,
  type GraphQLError,
  type GraphQLSchema,
  isInputType,
  isNonNullType,
  type OperationDefinitionNode,
  typeFromAST,
} from "../graphql-js.js";
import { type FormattedError, TransportErrorCode } from "./formatted-error.js";
import { scrubMessage } from "./scrub-message.js";

// Variable names and input field names are the caller's words: never echo a token among them.

/**
 * BAD_USER_INPUT errors for variables that do not fit the operation's declared types. graphql-jit
 * reports these with the offending value quoted (possibly a secret), so on this error path the
 * variables are checked again with graphql-js, whose hooks give the path without the value.
 */
export function describeVariableErrors(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  reported: readonly GraphQLError[],
): FormattedError[] {
  const errors: FormattedError[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    if (!isInputType(type)) continue;
    const locations = definition.loc
      ? [{ line: definition.loc.startToken.line, column: definition.loc.startToken.column }]
      : undefined;
    const add = (message: string) =>
      errors.push({
        message: scrubMessage(message),
        ...(locations ? { locations } : {}),
        extensions: { code: TransportErrorCode.BAD_USER_INPUT },
      });
    if (!Object.hasOwn(variables, name) || variables[name] === undefined) {
      if (isNonNullType(type) && definition.defaultValue === undefined) {
        add(`Variable "$${name}" of required type ${String(type)} was not provided.`);
      }
      continue;
    }
    if (variables[name] === null && isNonNullType(type)) {
      add(`Variable "$${name}" of non-null type ${String(type)} must not be null.`);
      continue;
    }
    coerceInputValue(variables[name], type, (path, _invalidValue, error) => {
      const where =
        path.length > 0
          ? ` at "${name}${path.map((key) => (typeof key === "number" ? `[${key}]` : `.${key}`)).join("")}"`
          : "";
      add(`Variable "$${name}" got an invalid value${where}: ${error.message}`);
    });
  }
  if (errors.length === 0) {
    // The two coercions disagree (should not happen): keep graphql-jit's verdict, not its quotes.
    for (const error of reported) {
      const name = /^Variable "\$(\w+)"/.exec(error.message)?.[1];
      errors.push({
        message: name
          ? scrubMessage(`Variable "$${name}" got an invalid value.`)
          : "A variable is invalid.",
        extensions: { code: TransportErrorCode.BAD_USER_INPUT },
      });
    }
  }
  return errors;
}
