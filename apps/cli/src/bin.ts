import { join } from "node:path";
import { compileCacheDir, runWithCompileCache } from "./compile-cache.js";

// The `hush` executable: loads the bundled command line (dist/cli.cjs) with V8's code cache.
runWithCompileCache(join(__dirname, "cli.cjs"), compileCacheDir(process.env));
