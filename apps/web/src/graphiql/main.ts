import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import { createElement } from "react";
import { createRoot } from "react-dom/client";
import { storedToken } from "../api/token-store.js";
import "./graphiql.css";

// GraphiQL from the bundle, served by hush-server under its CSP. The console's token (this
// tab's sessionStorage) is sent when there is one; else put one in Headers.
const token = storedToken();

const fetcher = async (params: unknown, options?: { headers?: Record<string, unknown> }) => {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  for (const [key, value] of Object.entries(options?.headers ?? {})) {
    if (typeof value === "string") headers[key.toLowerCase()] = value;
  }
  const response = await fetch("/graphql", {
    method: "POST",
    headers,
    body: JSON.stringify(params),
    credentials: "omit",
  });
  return response.json();
};

const defaultQuery = `# ${token === null ? 'Put your API token in Headers: {"Authorization": "Bearer hush_…"}' : "Signed in with the console's token."}
query {
  secret(order_by: {name: asc}) {
    name
    version
    updated
  }
}
`;

createRoot(document.getElementById("graphiql")!).render(
  createElement(GraphiQL, {
    fetcher,
    defaultQuery,
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: false,
  }),
);
