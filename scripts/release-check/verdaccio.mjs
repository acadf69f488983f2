// A real npm registry, started locally for the release: Verdaccio with its storage in the
// temporary folder and no uplinks (fixtures/verdaccio.yaml).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { copyFileSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { cleanEnv, track } from "./processes.mjs";
import { fixtures, scriptsBin, work } from "./temp.mjs";

/** Starts Verdaccio on a free port, with one publishing user whose token it returns. */
export async function startVerdaccio() {
  const dir = join(work, "verdaccio");
  const storage = join(dir, "storage");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const config = join(dir, "config.yaml");
  mkdirSync(storage, { recursive: true });
  copyFileSync(join(fixtures, "verdaccio.yaml"), config);
  const child = track(
    spawn(join(scriptsBin, "verdaccio"), ["--config", config, "--listen", `127.0.0.1:${port}`], {
      cwd: work,
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Verdaccio exited:\n${output}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // The one publishing user (htpasswd, max_users 1): its token goes into the publisher's .npmrc.
  const user = "release-check";
  const response = await fetch(`${url}-/user/org.couchdb.user:${user}`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      name: user,
      password: "release-check-password",
      type: "user",
      roles: [],
    }),
  });
  const body = await response.json();
  if (!response.ok || typeof body.token !== "string") {
    throw new Error(
      `Could not create Verdaccio's publishing user: ${JSON.stringify(body)}\n${output}`,
    );
  }
  return { url, storage, token: body.token };
}

/** The .npmrc key of a registry's auth token. */
export function authLine(url) {
  return `//${url.replace(/^https?:\/\//, "")}:_authToken`;
}

async function freePort() {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}
