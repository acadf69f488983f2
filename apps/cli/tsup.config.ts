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
 * command would load the client and its transport before doing anything. For the CLI, core gets
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

/**
 * commander requires node:child_process at its top for "executable subcommands", which hush does
 * not have; loading it (and node:net with it) measured ~5 ms of every command's start. commander
 * gets a stand-in that loads the real module on its first use.
 */
const lazyChildProcessForCommander: Plugin = {
  name: "lazy-child-process-for-commander",
  setup(build) {
    build.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      const eager = "require('node:child_process')";
      if (!source.includes(eager)) throw new Error(`${args.path} no longer has ${eager}`);
      const lazy =
        "new Proxy({}, { get: (_, key) => (lazyChildProcess ??= require('node:child_process'))[key] })";
      return { contents: `let lazyChildProcess;\n${source.replace(eager, lazy)}`, loader: "js" };
    });
  },
};

// CommonJS, measured faster to start than ESM on Node 20 (no ES module loader for each file and
// built-in module), and the format V8's code cache can be used with (see src/compile-cache.ts).
export default defineConfig({
  entry: {
    // The `hush` executable: a few lines that run cli.cjs with V8's code cache.
    hush: "src/bin.ts",
    // The whole command line, one file; modules it loads with import() (the server client, the
    // prompts, dotenv) are evaluated only by the commands that need them.
    cli: "src/main.ts",
  },
  format: "cjs",
  platform: "node",
  target: "node20",
  bundle: true,
  splitting: false,
  noExternal: [/.*/],
  clean: true,
  // Read only with --debug (bin.ts), to print stacks in the TypeScript sources.
  sourcemap: true,
  // A smaller file parses faster: measured in bench/cli-start.bench.mjs.
  minify: process.env.HUSH_CLI_NO_MINIFY === undefined,
  define: { HUSH_CLI_VERSION: JSON.stringify(version) },
  banner: { js: "#!/usr/bin/env node" },
  esbuildPlugins: [lazyGraphqlForCore, lazyChildProcessForCommander],
  esbuildOptions(options) {
    options.conditions = ["@hush/source"];
    // import() of a built-in module becomes require(): the code cache's vm.Script has no loader
    // for import().
    options.supported = { "dynamic-import": false };
    // @hush/schema's schemaPath uses import.meta.url; the CLI never imports it (tree-shaken).
    options.logOverride = { "empty-import-meta": "silent" };
  },
});
