import {
  type DocumentNode,
  execute,
  GraphQLError,
  getOperationAST,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  validate,
} from "graphql";
import type { FakeContext } from "./fake-resolvers.js";
import { fakeSchema } from "./fake-schema.js";

/** A GraphQL-over-HTTP request's parameters, as sent in a POST body or a GET query string. */
export interface GraphQLParams {
  readonly query?: unknown;
  readonly variables?: unknown;
  readonly operationName?: unknown;
}

/** What to answer: an HTTP status, extra headers and a JSON body. */
export interface GraphQLAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** What the request log records of a document: its name, type and root fields, never values. */
export interface DocumentSummary {
  readonly operationName: string | null;
  readonly operationType: "query" | "mutation" | "subscription" | null;
  readonly fields: readonly string[];
}

/**
 * Runs one GraphQL-over-HTTP request against the fake's schema, as the real server's route does
 * for `application/json`: request errors → 400 with `BAD_REQUEST`, syntax errors →
 * `GRAPHQL_PARSE_FAILED`, validation errors → `GRAPHQL_VALIDATION_FAILED`, variable errors →
 * `BAD_USER_INPUT` (all three with status 200), a mutation over GET → 405.
 */
export function runGraphQL(
  method: string,
  params: GraphQLParams,
  rootValue: Record<string, unknown>,
  context: FakeContext,
): Promise<GraphQLAnswer> | GraphQLAnswer {
  const { query, variables, operationName } = params;
  if (typeof query !== "string" || query === "") {
    return badRequest('The request needs a "query": the GraphQL document as a string.');
  }
  if (variables != null && (typeof variables !== "object" || Array.isArray(variables))) {
    return badRequest('"variables" must be an object from variable name to value.');
  }
  if (operationName != null && typeof operationName !== "string") {
    return badRequest('"operationName" must be a string.');
  }

  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return answer(200, { errors: [format(error, "GRAPHQL_PARSE_FAILED")] });
  }
  const schema = fakeSchema();
  const invalid = validate(schema, document);
  if (invalid.length > 0) {
    return answer(200, { errors: invalid.map((e) => format(e, "GRAPHQL_VALIDATION_FAILED")) });
  }
  const operation = getOperationAST(document, operationName);
  if (operation == null) {
    return badRequest(
      operationName == null
        ? 'The document has several operations: say which to run with "operationName".'
        : `The document has no operation named "${operationName}".`,
    );
  }
  if (method === "GET" && operation.operation !== "query") {
    return {
      status: 405,
      headers: { allow: "POST" },
      body: errorBody(
        "Only queries can be sent with GET; send mutations with POST.",
        "BAD_REQUEST",
      ),
    };
  }
  const coerced = getVariableValues(
    schema,
    operation.variableDefinitions ?? [],
    (variables ?? {}) as Record<string, unknown>,
  );
  if (coerced.errors !== undefined) {
    return answer(200, { errors: coerced.errors.map((e) => format(e, "BAD_USER_INPUT")) });
  }
  return Promise.resolve(
    execute({
      schema,
      document,
      rootValue,
      contextValue: context,
      variableValues: variables as Record<string, unknown> | undefined,
      operationName: operationName as string | undefined,
    }),
  ).then((result) =>
    answer(200, {
      data: result.data ?? null,
      ...(result.errors?.length
        ? { errors: result.errors.map((e) => format(e, "INTERNAL_SERVER_ERROR")) }
        : {}),
    }),
  );
}

/** The operation a request would run, for the request log; nulls when it cannot be told. */
export function summarize(params: GraphQLParams): DocumentSummary {
  const unknown = { operationName: null, operationType: null, fields: [] };
  if (typeof params.query !== "string") return unknown;
  try {
    const document = parse(params.query);
    const name = typeof params.operationName === "string" ? params.operationName : undefined;
    const operation = getOperationAST(document, name);
    if (operation == null) return unknown;
    return {
      operationName: operation.name?.value ?? null,
      operationType: operation.operation,
      fields: rootFields(document, operation),
    };
  } catch {
    return unknown;
  }
}

/** A GraphQL-shaped error body for answers that are not an execution result. */
export function errorBody(message: string, code: string): unknown {
  return { errors: [{ message, extensions: { code } }] };
}

function rootFields(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fields: string[] = [];
  const seen = new Set<string>();
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = document.definitions.find(
          (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === selection.name.value,
        );
        if (fragment?.kind === Kind.FRAGMENT_DEFINITION) visit(fragment.selectionSet);
      }
    }
  };
  visit(operation.selectionSet);
  return fields;
}

function format(error: unknown, fallbackCode: string): unknown {
  if (!(error instanceof GraphQLError)) {
    return { message: "Unexpected error in the fake server.", extensions: { code: fallbackCode } };
  }
  const original = error.originalError;
  if (original !== undefined && !(original instanceof GraphQLError)) {
    // The real server masks unexpected errors; the fake keeps the message to ease debugging.
    return {
      message: `Unexpected error in the fake server: ${original.message}`,
      ...(error.path ? { path: error.path } : {}),
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    };
  }
  const json = error.toJSON();
  return {
    ...json,
    extensions: { ...json.extensions, code: json.extensions?.code ?? fallbackCode },
  };
}

function badRequest(message: string): GraphQLAnswer {
  return answer(400, errorBody(message, "BAD_REQUEST"));
}

function answer(status: number, body: unknown): GraphQLAnswer {
  return { status, body };
}
