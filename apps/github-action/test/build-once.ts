import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The tests run the bundle GitHub runs, `dist/index.js`: build it once before they run. */
export default function buildOnce(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..");
  execFileSync(process.execPath, [join(root, "node_modules/tsup/dist/cli-default.js")], {
    cwd: root,
    stdio: "ignore",
  });
}
