import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { type DocumentNode, print } from "graphql";
import { ApiProblem } from "./api-problem.js";

const printed = new WeakMap<DocumentNode, string>();

function queryText(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

interface GraphQLAnswer<TResult> {
  data?: TResult | null;
  errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }>;
}

/**
 * Sends one of `@hush/graphql`'s typed operations to this origin's `/graphql` with the bearer
 * token. Resolves to the typed data; rejects with an {@link ApiProblem}.
 */
export async function request<TResult, TVariables>(
  token: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: queryText(document), variables }),
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    throw new ApiProblem(
      "The hush server cannot be reached. Check that it is running, then try again.",
      "NETWORK",
      null,
    );
  }
  const requestId = response.headers.get("x-request-id");
  let answer: GraphQLAnswer<TResult>;
  try {
    answer = (await response.json()) as GraphQLAnswer<TResult>;
  } catch {
    throw new ApiProblem(
      `The server answered HTTP ${response.status} without a GraphQL result.`,
      `HTTP_${response.status}`,
      requestId,
    );
  }
  const first = answer.errors?.[0];
  if (first !== undefined) {
    const code = typeof first.extensions?.code === "string" ? first.extensions.code : "UNKNOWN";
    const message = typeof first.message === "string" ? first.message : "The request failed.";
    throw new ApiProblem(message, code, requestId);
  }
  if (answer.data == null) {
    throw new ApiProblem(
      `The server answered HTTP ${response.status} without data.`,
      `HTTP_${response.status}`,
      requestId,
    );
  }
  return answer.data;
}
