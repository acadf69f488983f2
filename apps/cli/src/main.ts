import { quietOnClosedPipe } from "./closed-pipe.js";
import { run } from "./program.js";

// The whole `hush` command line, bundled into dist/cli.cjs; bin.ts loads it.
quietOnClosedPipe(process.stdout, process.stderr);
run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
