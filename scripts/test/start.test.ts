import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { type AddressInfo, createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { testDir } from "@hush/test-support";
import { afterEach, describe, expect, it } from "vitest";

// `npm start` runs `node scripts/start.mjs` on the built server and example (the root test
// command builds before testing); these tests run that script as npm does.
const root = fileURLToPath(new URL("../..", import.meta.url));
const START = join(root, "scripts", "start.mjs");
const SERVER_BIN = join(root, "apps", "server", "dist", "bin.js");
for (const built of [SERVER_BIN, join(root, "examples", "hello", "dist", "index.js")]) {
  if (!existsSync(built)) throw new Error(`${built} does not exist: build first with pnpm build`);
}

interface Started {
  child: ChildProcess;
  output: () => string;
  waitFor: (pattern: RegExp) => Promise<void>;
}

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) {
    for (const pid of [...descendants(child.pid!), child.pid!]) kill(pid, "SIGKILL");
  }
});

function run(command: string, args: string[], env: Record<string, string>): Started {
  const child = spawn(command, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", HOME: env.HOME ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let output = "";
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk;
    for (const listener of listeners) listener();
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  return {
    child,
    output: () => output,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(output)) {
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
        child.once("exit", () => reject(new Error(`exited before ${pattern}:\n${output}`)));
        check();
      }),
  };
}

function startScript(port: number, args: string[] = []): Started {
  const dir = testDir();
  return run(process.execPath, [START, ...args], {
    HOME: dir,
    HUSH_DATA_DIR: join(dir, "data"),
    HUSH_PORT: String(port),
  });
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Every process below `pid`, from /proc (Linux). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // "pid (comm) state ppid …": comm may hold spaces, so read after its closing parenthesis.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        found.push(child);
        visit(child);
      }
    }
  };
  visit(pid);
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
}

function kill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`gave up waiting: ${what}`);
}

async function graphql(endpoint: string, token: string, query: string): Promise<unknown> {
  const response = await fetch(`${endpoint}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

describe("npm start (scripts/start.mjs)", { timeout: 120_000 }, () => {
  it("--once sets with a TENANT_ADMIN token, reads with a RUNNER token, and saves the endpoint it served", async () => {
    const port = await freePort();
    const start = startScript(port, ["--once"]);
    const [code] = await once(start.child, "exit");
    expect(start.output()).toContain("the TENANT_ADMIN token");
    expect(start.output()).toContain("with the RUNNER token");
    expect(start.output()).toContain('Secret("HELLO_HUSH").get() → "hello from hush"');
    expect(code).toBe(0);
    expect(await portIsFree(port)).toBe(true);
  });

  it.each(["SIGTERM", "SIGINT", "SIGHUP"] as const)(
    "%s stops every process it started and frees the port",
    async (signal) => {
      const port = await freePort();
      const start = startScript(port);
      await start.waitFor(/Press Ctrl-C to stop/);
      const spawned = descendants(start.child.pid!);
      expect(spawned.length).toBeGreaterThan(0);

      start.child.kill(signal);
      const [code] = await once(start.child, "exit");
      expect(code).toBe(0);
      await until(() => spawned.every((pid) => !alive(pid)), "the started processes to stop");
      expect(await portIsFree(port)).toBe(true);
    },
  );

  it("serves with an admin and a RUNNER token whose roles it prints, at the endpoint it saves", async () => {
    const port = await freePort();
    const dir = testDir();
    const dataDir = join(dir, "data");
    const start = run(process.execPath, [START], {
      HOME: dir,
      HUSH_DATA_DIR: dataDir,
      HUSH_PORT: String(port),
    });
    await start.waitFor(/Press Ctrl-C to stop/);
    expect(start.output()).toMatch(/admin\s+TENANT_ADMIN/);
    expect(start.output()).toMatch(/runner\s+RUNNER/);
    const saved = JSON.parse(readFileSync(join(dataDir, "quickstart-token.json"), "utf8"));
    expect(saved.endpoint).toBe(`http://127.0.0.1:${port}`);
    const me = "{ me { role } }";
    expect(await graphql(saved.endpoint, saved.runner.token, me)).toEqual({
      data: { me: { role: "RUNNER" } },
    });
    expect(await graphql(saved.endpoint, saved.admin.token, me)).toEqual({
      data: { me: { role: "TENANT_ADMIN" } },
    });
    // No token ever reaches the output: the printed commands read them from the file.
    expect(start.output()).not.toContain(saved.runner.token);
    expect(start.output()).not.toContain(saved.admin.token);
  });

  it("runs the README's CLI section, line by line as written, against the server it keeps running", async () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### With the `hush` CLI"));
    const opening = section.indexOf("```sh\n") + "```sh\n".length;
    const block = section.slice(opening, section.indexOf("\n```", opening));
    expect(block).toContain("hush secrets set DB_URL");

    // The README's folder: the repository's apps (for the alias), npm start's .hush-data.
    const port = await freePort();
    const dir = testDir({ "readme.sh": `set -e\n${block}\n` });
    symlinkSync(join(root, "apps"), join(dir, "apps"));
    const start = run(process.execPath, [START], {
      HOME: dir,
      HUSH_DATA_DIR: join(dir, ".hush-data"),
      HUSH_PORT: String(port),
    });
    await start.waitFor(/Press Ctrl-C to stop/);

    // Only the port differs from a reader's machine (npm start's default, 4200, may be taken).
    const shell = spawnSync("bash", ["-O", "expand_aliases", "readme.sh"], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: dir,
        HUSH__CLOUD__ENDPOINT: `http://127.0.0.1:${port}`,
      },
      input: "postgres://app:s3cret@db.internal/app\n",
      encoding: "utf8",
    });
    expect(shell.stderr).not.toMatch(/error|unknown/i);
    expect(shell.status).toBe(0);
    expect(shell.stdout).toContain("DB_URL has 37 characters: <redacted:DB_URL>"); // --mask
    expect(shell.stdout).toMatch(/API_KEY=.*abc123/);
  });

  it("stops everything when the process that ran it dies without passing a signal on", async () => {
    // npm passes SIGINT and SIGTERM on to its script, but not SIGHUP: it just goes away.
    const port = await freePort();
    const dir = testDir();
    const parent = run("sh", ["-c", `"${process.execPath}" "${START}" & wait`], {
      HOME: dir,
      HUSH_DATA_DIR: join(dir, "data"),
      HUSH_PORT: String(port),
    });
    await parent.waitFor(/Press Ctrl-C to stop/);
    const spawned = descendants(parent.child.pid!);
    expect(spawned.length).toBeGreaterThan(1); // start.mjs and hush-server

    parent.child.kill("SIGKILL");
    await until(() => spawned.every((pid) => !alive(pid)), "the orphaned processes to stop");
    expect(await portIsFree(port)).toBe(true);
  });

  it("refuses a port another hush-server holds, names it, and exits non-zero", async () => {
    const dir = testDir();
    const env = { HOME: dir, HUSH_DATA_DIR: join(dir, "other") };
    const init = run(process.execPath, [SERVER_BIN, "init"], env);
    expect((await once(init.child, "exit"))[0]).toBe(0);
    const other = run(process.execPath, [SERVER_BIN, "start", "--port", "0"], env);
    await other.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/);
    const port = Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(other.output())![1]);

    const start = startScript(port, ["--once"]);
    const [code] = await once(start.child, "exit");
    expect(code).toBe(1);
    expect(start.output()).toContain(
      `http://127.0.0.1:${port}: the port is already in use by a hush-server`,
    );
    expect(start.output()).toContain(`process ${other.child.pid} (`);
    expect(start.output()).toContain("HUSH_PORT=4201 npm start");
    expect(start.output()).not.toContain("Set a first secret");
    expect(other.child.exitCode).toBeNull();
  });

  it("names a foreign HTTP server on its port, and starts nothing", async () => {
    const occupant = createHttpServer((_request, response) => {
      response.statusCode = 404;
      response.end();
    }).listen(0, "127.0.0.1");
    await once(occupant, "listening");
    const { port } = occupant.address() as AddressInfo;
    try {
      const start = startScript(port);
      const [code] = await once(start.child, "exit");
      expect(code).toBe(1);
      expect(start.output()).toContain("an HTTP server that answers GET /healthz with HTTP 404");
      expect(start.output()).toContain(`process ${process.pid} (`);
    } finally {
      occupant.close();
    }
  });
});
