import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Options } from "tsup";

type Plugin = NonNullable<Options["esbuildPlugins"]>[number];

const here = dirname(fileURLToPath(import.meta.url));
const { version } = JSON.parse(readFileSync(join(here, "package.json"), "utf8")) as {
  version: string;
};

/**
 * `@hush/core` imports `createClient` from `@hush/graphql` at its top; bundled as is, every
 * command would load graphql and graphql-request before doing anything. For the CLI, core gets
 * the CLI's lazy client instead, which loads `@hush/graphql` on its first call (the CLI always
 * hands core its own client, so this only changes when the module loads).
 */
const lazyGraphqlForCore: Plugin = {
  name: "lazy-graphql-for-core",
  setup(build) {
    const cliSources = join(here, "src");
    build.onResolve({ filter: /^@hush\/graphql$/ }, (args) =>
      args.importer.startsWith(cliSources)
        ? undefined
        : { path: join(cliSources, "lazy-client.ts") },
    );
  },
};

export default defineConfig({
  entry: { hush: "src/bin.ts" },
  format: "esm",
  platform: "node",
  target: "node20",
  bundle: true,
  splitting: false,
  noExternal: [/.*/],
  clean: true,
  sourcemap: false,
  // A smaller file parses faster: measured in bench/cli-start.bench.mjs.
  minify: true,
  define: { HUSH_CLI_VERSION: JSON.stringify(version) },
  esbuildPlugins: [lazyGraphqlForCore],
  esbuildOptions(options) {
    options.conditions = ["@hush/source"];
    // Bundled CommonJS dependencies (commander) call require() for Node's built-ins.
    options.banner = {
      js: '#!/usr/bin/env node\nimport { createRequire as __hushCreateRequire } from "node:module";\nconst require = __hushCreateRequire(import.meta.url);',
    };
  },
});
