import { run } from "./program.js";

// The whole `hush` command line, bundled into dist/cli.cjs; bin.ts loads it.
run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
