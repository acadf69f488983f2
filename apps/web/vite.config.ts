import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

// Two pages: the console (Preact) and GraphiQL (React, as the graphiql package needs). Nothing
// is inlined into the HTML or as a data: URL, so the server's CSP can stay `default-src 'self'`.
export default defineConfig({
  resolve: { conditions: ["@hush/source"] },
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    // GraphiQL (with React and CodeMirror) is one large chunk, loaded only by /graphiql.
    chunkSizeWarningLimit: 1_200,
    rollupOptions: {
      input: { console: page("index.html"), graphiql: page("graphiql.html") },
      onwarn(warning, warn) {
        // GraphiQL's dependencies mark React server-component boundaries; irrelevant in a bundle.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return;
        warn(warning);
      },
    },
  },
});
