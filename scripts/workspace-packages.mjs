// The workspace's publishable packages, as `changeset publish` sees them: every package that is
// not private. Shared by the release check and `pnpm release:pack`.
import { execFileSync } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const root = realpathSync(join(dirname(fileURLToPath(import.meta.url)), ".."));

/** The workspace's pnpm (installed with it), so that a machine without pnpm on PATH works too. */
export function pnpmBin() {
  return join(root, "node_modules", ".bin", "pnpm");
}

/** @returns {{ name: string, dir: string, manifest: Record<string, any> }[]} sorted by name */
export function publishable() {
  const listed = JSON.parse(
    execFileSync(pnpmBin(), ["ls", "-r", "--depth", "-1", "--json"], {
      cwd: root,
      encoding: "utf8",
    }),
  );
  return listed
    .filter((p) => p.path !== root && !p.private)
    .map((p) => ({
      name: p.name,
      dir: relative(root, p.path),
      manifest: JSON.parse(readFileSync(join(p.path, "package.json"), "utf8")),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
