import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire, wrap } from "node:module";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join } from "node:path";
import { Script } from "node:vm";
import { writePrivateFileSync } from "@hush/config/private-file";

/**
 * Runs the CommonJS file `file` as `require` would, but with V8's code cache: the bytecode of the
 * functions a run compiled is kept in `cacheDir`, so later runs skip parsing and compiling them
 * (measured: about 10 ms of the CLI's start, a sixth of `node -e 0`). V8 checks a cache against
 * its own version, flags and the source, and compiles afresh when it does not fit; the file name
 * also holds the Node version and the bundle's size and time, so a new build never reads an old
 * cache. The folder is used only when it belongs to this user and no one else may write to it.
 * Any failure to read or write the cache is ignored: it only makes the start slower.
 */
export function runWithCompileCache(file: string, cacheDir: string | undefined): void {
  let source = readFileSync(file, "utf8");
  if (source.startsWith("#!")) source = `//${source.slice(2)}`;
  const cacheFile = cacheDir === undefined ? undefined : cachePath(file, cacheDir);
  const cachedData = cacheFile === undefined ? undefined : readCache(cacheFile);
  const script = new Script(wrap(source), { filename: file, cachedData });
  if (cacheFile !== undefined && (cachedData === undefined || script.cachedDataRejected)) {
    // At exit, the cache also holds every function this run compiled, not only the top level.
    const prefix = `${basename(file)}-`;
    process.once("exit", () => writeCache(cacheFile, prefix, () => script.createCachedData()));
  }
  const module = { exports: {} };
  const compiled = script.runInThisContext() as (...args: unknown[]) => void;
  compiled.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
}

/**
 * Where the cache goes: `$HUSH_COMPILE_CACHE_DIR`, else `$XDG_CACHE_HOME/hush`, else
 * `~/.cache/hush`; undefined (no cache) when `HUSH_COMPILE_CACHE_DIR` is `off`.
 */
export function compileCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const chosen = env.HUSH_COMPILE_CACHE_DIR;
  if (chosen === "off") return undefined;
  if (chosen !== undefined && chosen !== "") return chosen;
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says to ignore a relative XDG_CACHE_HOME.
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), ".cache"), "hush");
}

function cachePath(file: string, cacheDir: string): string | undefined {
  try {
    const { size, mtimeMs } = statSync(file);
    const stamp = `${process.version}-${process.arch}-${size}-${Math.trunc(mtimeMs)}`;
    return join(cacheDir, `${basename(file)}-${stamp}.v8cache`);
  } catch {
    return undefined;
  }
}

function readCache(cacheFile: string): Buffer | undefined {
  try {
    if (!isPrivate(dirname(cacheFile))) return undefined;
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

function writeCache(cacheFile: string, prefix: string, data: () => Buffer): void {
  const dir = dirname(cacheFile);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!isPrivate(dir)) return;
    // One cache per bundle: the ones of earlier builds or Node versions go.
    for (const entry of readdirSync(dir)) {
      const stale = entry.startsWith(prefix) && entry.endsWith(".v8cache");
      if (stale && entry !== basename(cacheFile)) rmSync(join(dir, entry));
    }
    writePrivateFileSync(cacheFile, data(), 0o600);
  } catch {
    // A cache that cannot be written costs speed only.
  }
}

/** Whether `dir` belongs to this user and only this user may write to it. */
function isPrivate(dir: string): boolean {
  const stat = statSync(dir);
  if (!stat.isDirectory() || (stat.mode & 0o022) !== 0) return false;
  return typeof process.getuid !== "function" || stat.uid === process.getuid();
}
