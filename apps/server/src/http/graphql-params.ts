import { isRefusedJsonKey } from "../graphql/scalars/json-keys.js";

/** The parameters of a GraphQL-over-HTTP request. */
export interface GraphQLParams {
  readonly query: string;
  readonly variables: Record<string, unknown> | undefined;
  readonly operationName: string | undefined;
}

/** A request that is not well-formed GraphQL-over-HTTP: sent back as HTTP 400. */
export class BadGraphQLRequest {
  constructor(readonly message: string) {}
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Reads `{query, variables?, operationName?, extensions?}` from a parsed JSON body. */
export function paramsFromBody(body: unknown): GraphQLParams | BadGraphQLRequest {
  if (Array.isArray(body)) {
    return new BadGraphQLRequest(
      "Batched requests are not supported: send one operation per request.",
    );
  }
  if (!isObject(body)) {
    return new BadGraphQLRequest(
      'The request body must be a JSON object such as {"query": "{ secretNames }", "variables": {}}.',
    );
  }
  return checkParams(body.query, body.variables, body.operationName, body.extensions);
}

/** Reads `?query=…&variables=…&operationName=…` (variables and extensions as JSON text). */
export function paramsFromSearch(search: unknown): GraphQLParams | BadGraphQLRequest {
  const params = isObject(search) ? search : {};
  let variables = params.variables;
  if (typeof variables === "string") {
    try {
      // The keys the body parser refuses in a POST body are refused here too.
      variables = JSON.parse(variables, (key, value) => {
        if (isRefusedJsonKey(key, value)) throw new SyntaxError("refused key");
        return value;
      });
    } catch {
      return new BadGraphQLRequest(
        'The variables parameter must be a JSON object (keys named "__proto__" are refused too).',
      );
    }
  } else if (variables !== undefined) {
    return new BadGraphQLRequest("Send the variables parameter once, as a JSON object.");
  }
  if (params.extensions !== undefined && typeof params.extensions !== "string") {
    return new BadGraphQLRequest("Send the extensions parameter once, as a JSON object.");
  }
  return checkParams(params.query, variables, params.operationName, undefined);
}

function checkParams(
  query: unknown,
  variables: unknown,
  operationName: unknown,
  extensions: unknown,
): GraphQLParams | BadGraphQLRequest {
  if (typeof query !== "string" || query.length === 0) {
    return new BadGraphQLRequest(
      query === undefined || query === null || query === ""
        ? "The request has no query: send the GraphQL document in the query parameter."
        : "The query parameter must be a string holding the GraphQL document.",
    );
  }
  if (variables !== undefined && variables !== null && !isObject(variables)) {
    return new BadGraphQLRequest(
      'The variables parameter must be a JSON object mapping names to values, e.g. {"name": "KEY"}.',
    );
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") {
    return new BadGraphQLRequest("The operationName parameter must be a string.");
  }
  if (extensions !== undefined && extensions !== null && !isObject(extensions)) {
    return new BadGraphQLRequest("The extensions parameter must be a JSON object.");
  }
  return {
    query,
    variables: (variables as Record<string, unknown> | null) ?? undefined,
    // An empty operationName names no operation; treat it as absent, as GraphiQL may send it.
    operationName:
      typeof operationName === "string" && operationName !== "" ? operationName : undefined,
  };
}
