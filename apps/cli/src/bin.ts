import { join } from "node:path";
import { compileCacheDir, runWithCompileCache } from "./compile-cache.js";
import { isDebug } from "./debug-flag.js";

// The `hush` executable: loads the bundled command line (dist/cli.cjs) with V8's code cache.
const cli = join(__dirname, "cli.cjs");
if (isDebug(process.argv.slice(2))) {
  // With --debug, stacks name the TypeScript sources (through dist/cli.cjs.map): Node maps only
  // what its own loader compiled, after source maps are on. Reading the map costs start-up time,
  // so never otherwise.
  process.setSourceMapsEnabled(true);
  require(cli);
} else {
  runWithCompileCache(cli, compileCacheDir(process.env));
}
