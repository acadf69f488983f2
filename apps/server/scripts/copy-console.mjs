// Part of the server's build: copies the built web console (@hush/web's dist) into dist/console,
// where hush-server serves it from, so the installed package carries its console.
import { cpSync, existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const web = join(dirname(require.resolve("@hush/web/package.json")), "dist");
const target = fileURLToPath(new URL("../dist/console", import.meta.url));

if (!existsSync(join(web, "index.html"))) {
  console.error(
    `The web console is not built (${web} has no index.html): run pnpm build at the root.`,
  );
  process.exit(1);
}
rmSync(target, { recursive: true, force: true });
cpSync(web, target, { recursive: true });
