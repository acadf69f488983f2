// `pnpm release:pack`: the packages as they would be published, as tarballs, for installing hush
// in a project of your own before (or without) a registry. `pnpm pack` writes each publishable
// package's tarball (workspace ranges rewritten to versions, as `changeset publish` does); this
// prints the `npm install` line for each entry point: the tarballs it needs, given together so
// that npm finds them for each other instead of asking the registry.
//
// `--out DIR` writes them elsewhere than `./release`.
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pnpmBin, publishable, root } from "./workspace-packages.mjs";

const ENTRY_POINTS = [
  ["@hush/core", "the library your code imports"],
  ["@hush/cli", "the hush command"],
  ["@hush/server", "hush-server"],
];

const { values } = parseArgs({ options: { out: { type: "string" } } });
const out = resolve(values.out ?? join(root, "release"));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const packages = publishable();
const tarballs = new Map();
for (const p of packages) {
  const printed = execFileSync(pnpmBin(), ["pack", "--pack-destination", out], {
    cwd: join(root, p.dir),
    encoding: "utf8",
  });
  const tarball = printed.trim().split("\n").at(-1) ?? "";
  if (!tarball.endsWith(".tgz")) throw new Error(`pnpm pack of ${p.name} printed no tarball.`);
  tarballs.set(p.name, join(out, basename(tarball)));
}

console.log(`Packed ${packages.length} packages into ${out}.\n`);
console.log(
  "Install them in a project of yours, each line as it is (the tarballs find each other):",
);
for (const [name, what] of ENTRY_POINTS) {
  const needed = [...workspaceClosure(name)].map((n) => tarballs.get(n));
  console.log(`\n# ${name}: ${what}\nnpm install ${needed.join(" ")}`);
}

/** The package and every workspace package it depends on, dependencies first. */
function workspaceClosure(name, seen = new Set()) {
  const p = packages.find((candidate) => candidate.name === name);
  if (p === undefined) throw new Error(`${name} is not a publishable workspace package.`);
  for (const dependency of Object.keys(p.manifest.dependencies ?? {})) {
    if (tarballs.has(dependency) && !seen.has(dependency)) workspaceClosure(dependency, seen);
  }
  seen.add(name);
  return seen;
}
