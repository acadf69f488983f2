// Fails when the committed generated code differs from what `pnpm codegen` produces from
// schema.graphql and the operations: generated files are never edited by hand.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { delimiter, dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const folders = [
  "packages/schema/src/generated",
  "packages/graphql/src/generated",
  "apps/server/src/generated",
].map((f) => join(root, f));

const before = snapshot();
// The workspace's own graphql-codegen, also when this script is run with plain `node`.
const path = [join(root, "node_modules", ".bin"), process.env.PATH].join(delimiter);
const result = spawnSync("graphql-codegen", ["--config", "codegen.yml", "--silent"], {
  cwd: root,
  stdio: "inherit",
  shell: process.platform === "win32",
  env: { ...process.env, PATH: path },
});
if (result.error) {
  console.error(`codegen: could not run graphql-codegen (${result.error.message}).`);
  console.error("Install the workspace's dependencies first: pnpm install.");
  process.exit(1);
}
if (result.status !== 0) process.exit(result.status ?? 1);
const after = snapshot();

const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
  (file) => before.get(file) !== after.get(file),
);
if (changed.length > 0) {
  console.error("Generated code was out of date with the schema or operations:");
  for (const file of changed) console.error(`  ${relative(root, file)}`);
  console.error("It has now been regenerated: review and commit these files.");
  process.exit(1);
}
console.log("codegen: generated code is up to date");

function snapshot() {
  const files = new Map();
  for (const folder of folders) {
    if (!existsSync(folder)) continue;
    for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      files.set(path, readFileSync(path, "utf8"));
    }
  }
  return files;
}
