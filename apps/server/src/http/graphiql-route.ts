import type { FastifyInstance } from "fastify";

// GraphiQL from a CDN: a development aid only, served when the app is built with `dev: true`.
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>hush — GraphiQL</title>
    <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
    <link rel="stylesheet" href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css" />
    <script crossorigin src="https://unpkg.com/react@18.3.1/umd/react.production.min.js"></script>
    <script crossorigin src="https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js"></script>
    <script crossorigin src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js"></script>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script>
      const fetcher = GraphiQL.createFetcher({ url: new URL("/graphql", location.href).href });
      ReactDOM.createRoot(document.getElementById("graphiql")).render(
        React.createElement(GraphiQL, {
          fetcher,
          defaultEditorToolsVisibility: true,
          defaultQuery: "# Put your API token in Headers: {\\"Authorization\\": \\"Bearer hush_…\\"}\\nquery {\\n  secret(order_by: {name: asc}) {\\n    name\\n    version\\n    updated\\n  }\\n}\\n",
          shouldPersistHeaders: false,
        }),
      );
    </script>
  </body>
</html>
`;

/** `GET /graphiql`: a GraphiQL page pointed at this server's /graphql. */
export function registerGraphiQLRoute(app: FastifyInstance): void {
  app.get("/graphiql", (_request, reply) =>
    reply.header("content-type", "text/html; charset=utf-8").send(PAGE),
  );
}
