// Installs the workspace's dependencies when they are missing or older than the lockfile, with the
// pnpm on PATH or, on a machine that has only Node.js and npm, the pinned pnpm fetched through npx.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const marker = join(root, "node_modules", ".modules.yaml");
const lockfile = join(root, "pnpm-lock.yaml");

if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lockfile).mtimeMs) process.exit(0);

const pinned = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager;
const pnpm = hasPnpm() ? ["pnpm"] : ["npx", "--yes", pinned];
const args = [...pnpm, "install", "--frozen-lockfile"];
console.log(`hush: installing dependencies (${args.join(" ")})`);
const result = spawnSync(args[0], args.slice(1), { cwd: root, stdio: "inherit" });
if (result.status !== 0) {
  console.error("hush: dependency install failed; see the output above.");
  process.exit(result.status ?? 1);
}

function hasPnpm() {
  try {
    const version = execFileSync("pnpm", ["--version"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    return Number(version.split(".")[0]) >= 10;
  } catch {
    return false;
  }
}
