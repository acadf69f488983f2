import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The built `hush-server` command (the root test command builds before testing). */
export const BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

function requireBuilt(): void {
  if (!existsSync(BIN)) {
    throw new Error(`${BIN} does not exist: build it first with pnpm --filter @hush/server build`);
  }
}

/** A temp folder built from an object of relative paths to contents; removed by `cleanup()`. */
export async function testDir(files: Record<string, string> = {}) {
  const dir = await mkdtemp(join(tmpdir(), "hush-server-bin-"));
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
  }
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A minimal environment: no HUSH_* variable of the machine running the tests leaks in. */
export function childEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "", HOME: home, ...extra };
}

export interface BinResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `hush-server ARGS` to completion. */
export function runBin(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeout?: number },
): Promise<BinResult> {
  requireBuilt();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env: options.env, timeout: options.timeout ?? 20_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** POSTs a GraphQL request with a bearer token. */
export async function graphql(
  url: string,
  token: string,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ data?: Record<string, unknown>; errors?: Array<{ message: string }> }> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Record<string, unknown> };
}
