// The release check's temporary folder, made on import: the workspace's copy, the outside user's
// HOME and the downloaded tarballs all live in it, and it goes at the end (unless `--keep`).
import { mkdirSync, mkdtempSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { root } from "../workspace-packages.mjs";

export const keep = process.argv.includes("--keep");
export const work = realpathSync(mkdtempSync(join(tmpdir(), "hush-release-check-")));
if (!relative(root, work).startsWith("..")) {
  console.error(`release check: The temporary folder ${work} is inside the workspace.`);
  process.exit(1);
}
export const copy = join(work, "workspace");
export const home = join(work, "home");
export const tarballs = join(work, "tarballs");
for (const dir of [home, tarballs]) mkdirSync(dir, { recursive: true });

/** The check's fixtures: files copied into the temporary folder as they are. */
export const fixtures = join(dirname(fileURLToPath(import.meta.url)), "fixtures");
/** Binaries of @hush/scripts' own dependencies (Verdaccio, publint, attw). */
export const scriptsBin = join(root, "scripts", "node_modules", ".bin");
