// A downstream TypeScript package, outside the workspace, type-checks the generated operation types
// of the published @hush/graphql under `moduleResolution: "nodenext"` and `"bundler"`.
import { cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { root } from "../workspace-packages.mjs";
import { readJson, writeJson } from "./json.mjs";
import { run } from "./processes.mjs";
import { fixtures, work } from "./temp.mjs";

export async function checkDownstreamTypes(env) {
  const dir = join(work, "downstream");
  mkdirSync(dir);
  const rootManifest = readJson(join(root, "package.json"));
  writeJson(join(dir, "package.json"), {
    name: "release-check-downstream",
    private: true,
    type: "module",
  });
  await run(
    "npm",
    [
      "install",
      "@hush/graphql",
      `typescript@${rootManifest.devDependencies.typescript}`,
      `@types/node@${rootManifest.devDependencies["@types/node"]}`,
    ],
    { cwd: dir, env, quiet: true },
  );
  // index.ts and its tsconfigs: the strict base, and one file per module resolution.
  cpSync(join(fixtures, "downstream"), dir, { recursive: true });
  for (const name of ["nodenext", "bundler"]) {
    await run(
      process.execPath,
      [join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", `tsconfig.${name}.json`],
      { cwd: dir, env, quiet: true },
    ).catch((error) => {
      throw new Error(`moduleResolution "${name}": ${error.message}`);
    });
    console.log(`  moduleResolution "${name}": type-checks`);
  }
}
