// `npm start`: hush's main job on one machine. Initialises the embedded server's data folder when
// needed, starts hush-server on it, sets a first secret with the seed document's GraphQL mutation
// (TENANT_ADMIN token), reads it back through `@hush/core` in a separate program as a flow run
// would (RUNNER token), and keeps serving until Ctrl-C (`--once`: stops the server after the
// first set and read, for scripted checks).
//
// Everything it starts, it stops: on SIGINT, SIGTERM and SIGHUP, and when the process that ran it
// (npm) goes away without passing a signal on.
import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "apps/server/dist/bin.js");
const hello = join(root, "examples/hello/dist/index.js");
const dataDir = process.env.HUSH_DATA_DIR ?? join(root, ".hush-data");
const host = process.env.HUSH_HOST ?? "127.0.0.1";
const port = process.env.HUSH_PORT ?? "4200";
const requested = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
// The quickstart keeps its tokens beside the master key, readable by this user only.
const tokenFile = join(dataDir, "quickstart-token.json");
const shownTokenFile = relative(process.cwd(), tokenFile);
const once = process.argv.includes("--once");

const ROLES = {
  admin: {
    role: "TENANT_ADMIN",
    name: "quickstart-admin",
    does: "sets, lists and deletes secrets, manages tokens",
  },
  runner: {
    role: "RUNNER",
    name: "quickstart-runner",
    does: "reads secret values: what flow runs use",
  },
};

const children = new Set();
let stopping = false;
let server;

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stop(signal));
watchParent();

const occupant = await whoListens(host, Number(port));
if (occupant) {
  console.error(
    `Cannot start hush-server on ${requested}: the port is already in use by ${occupant}.\n` +
      `Stop that process, or start on another port: HUSH_PORT=4201 npm start`,
  );
  process.exit(1);
}

const tokens = await quickstartTokens();
const endpoint = await startServer();
if (!stopping) {
  save(endpoint, tokens);
  await setFirstSecret();
}
const readOk = !stopping && (await readFirstSecret());
if (stopping) {
  // A signal arrived meanwhile: stop() is taking everything down.
} else if (once) {
  stop(readOk ? "done" : "failed read");
} else {
  printNextSteps();
}

/** Runs `hush-server ARGS` to completion and returns its JSON output; exits on failure. */
async function hushServer(args) {
  const { code, stdout, stderr } = await run(process.execPath, [bin, ...args]);
  if (code !== 0) {
    process.stderr.write(stderr);
    await stop(`hush-server ${args[0]} failed`, code ?? 1);
  }
  return JSON.parse(stdout);
}

/** The admin token (from `init`, the saved file, or a new one) and a RUNNER token for reads. */
async function quickstartTokens() {
  const init = await hushServer(["init", "--data-dir", dataDir, "--json"]);
  const saved = init.created ? {} : readSaved();
  const result = {};
  for (const [key, { role, name }] of Object.entries(ROLES)) {
    if (key === "admin" && init.token) result.admin = init.token;
    else if (saved[key]) result[key] = saved[key];
    else {
      // Through the offline admin path, before the server runs.
      const created = await hushServer([
        "token",
        "create",
        "--data-dir",
        dataDir,
        "--role",
        role,
        "--name",
        `${name}-${Date.now()}`,
        "--json",
      ]);
      result[key] = created.token;
    }
  }
  return result;
}

function readSaved() {
  if (!existsSync(tokenFile)) return {};
  const saved = JSON.parse(readFileSync(tokenFile, "utf8"));
  // Files written before the RUNNER token existed hold the admin token as `token`.
  return { admin: saved.admin?.token ?? saved.token, runner: saved.runner?.token };
}

function save(servedAt, { admin, runner }) {
  const content = {
    endpoint: servedAt,
    admin: { role: ROLES.admin.role, token: admin },
    runner: { role: ROLES.runner.role, token: runner },
  };
  writeFileSync(tokenFile, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tokenFile, 0o600);
}

/** Starts hush-server; resolves with the endpoint it announces once it listens. */
function startServer() {
  server = track(
    spawn(
      process.execPath,
      [bin, "start", "--data-dir", dataDir, "--host", host, "--port", port, "--log-level", "warn"],
      { stdio: ["ignore", "pipe", "inherit"] },
    ),
  );
  return new Promise((resolve) => {
    let pending = "";
    server.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      pending += chunk;
      const listening = /hush-server listening on (\S+)/.exec(pending);
      if (listening) {
        pending = "";
        resolve(listening[1]);
      }
    });
    server.on("exit", (code, signal) => {
      if (!stopping) {
        console.error(`hush-server stopped (${signal ?? `exit code ${code}`}).`);
        stop("server exit", code || 1);
      }
    });
  });
}

async function setFirstSecret() {
  const query =
    'mutation { setSecret(input: {name: "HELLO_HUSH", value: "hello from hush"}) { success } }';
  const response = await fetch(`${endpoint}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${tokens.admin}` },
    body: JSON.stringify({ query }),
  });
  const body = await response.json();
  if (body.errors) {
    console.error(`Setting the first secret failed: ${body.errors[0].message}`);
    await stop("failed set", 1);
  }
  console.log(
    `\nSet a first secret with the seed document's mutation and the TENANT_ADMIN token:\n  ${query}\n  → ${JSON.stringify(body.data)}`,
  );
}

async function readFirstSecret() {
  console.log(
    "\nRead it back through @hush/core (examples/hello) with the RUNNER token, in cloud mode:",
  );
  const { code, stdout, stderr } = await run(process.execPath, [hello, "HELLO_HUSH"], {
    ...process.env,
    HUSH__BACKEND: "cloud",
    HUSH__CLOUD__USE_LOCAL_SECRETS: "false",
    HUSH__CLOUD__ENDPOINT: endpoint,
    HUSH__CLOUD__API_KEY: tokens.runner,
  });
  process.stdout.write(`  ${stdout}`);
  if (code !== 0) process.stderr.write(stderr);
  return code === 0;
}

function printNextSteps() {
  const token = (key) => `$(node -p 'require("./${shownTokenFile}").${key}.token')`;
  console.log(`
hush-server is serving ${endpoint}/graphql on the embedded database in ${relative(process.cwd(), dataDir) || "."}/.
Two tokens for tenant "default" are in ${shownTokenFile} (mode 0600):
  admin   ${ROLES.admin.role}   ${ROLES.admin.does}
  runner  ${ROLES.runner.role}         ${ROLES.runner.does}

Web console: ${endpoint}/  (sign in with the admin token; show it with
  node -p 'require("./${shownTokenFile}").admin.token')

  export HUSH_ADMIN_TOKEN=${token("admin")}
  curl -s ${endpoint}/graphql -H "authorization: Bearer $HUSH_ADMIN_TOKEN" -H 'content-type: application/json' \\
    -d '{"query":"mutation { setSecret(input: {name: \\"API_KEY\\", value: \\"s3cr3t\\"}) { success } }"}'
  curl -s ${endpoint}/graphql -H "authorization: Bearer $HUSH_ADMIN_TOKEN" -H 'content-type: application/json' \\
    -d '{"query":"{ secret(order_by: {name: asc}) { name } }"}'

In code:  import { Secret } from "@hush/core";  await new Secret("API_KEY").get();
run with the RUNNER token:
  HUSH__CLOUD__USE_LOCAL_SECRETS=false HUSH__CLOUD__ENDPOINT=${endpoint} HUSH__CLOUD__API_KEY=${token("runner")} node your-flow.js
Press Ctrl-C to stop.`);
}

/**
 * Stops every process this script started, then exits: `code`, or 0 for a signal or a finished
 * `--once`. A process that ignores SIGTERM for 10 s is killed.
 */
async function stop(reason, code = reason === "failed read" ? 1 : 0) {
  if (stopping) return new Promise(() => {});
  stopping = true;
  for (const child of children) child.kill("SIGTERM");
  const force = setTimeout(() => {
    for (const child of children) child.kill("SIGKILL");
  }, 10_000);
  force.unref();
  await Promise.all(
    [...children].map((child) => new Promise((resolve) => child.once("exit", resolve))),
  );
  const serverCode = server?.exitCode;
  process.exit(code !== 0 ? code : reason === "done" && serverCode ? serverCode : 0);
}

/** npm passes SIGINT and SIGTERM on, but not SIGHUP: when npm is gone, so is this script. */
function watchParent() {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop("parent exit");
  }, 500).unref();
}

function track(child) {
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}

function run(command, args, env = process.env) {
  return new Promise((resolve) => {
    const child = track(spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] }));
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * What already listens on host:port, in words (null when nothing does): whether it answers as
 * hush-server, and its process where the system tells (Linux's /proc).
 */
async function whoListens(listenHost, listenPort) {
  if (listenPort === 0) return null;
  const open = await new Promise((resolve) => {
    const socket = connect({ host: listenHost, port: listenPort });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("connect", () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });
  if (!open) return null;
  let what;
  try {
    const response = await fetch(`${requested}/healthz`, { signal: AbortSignal.timeout(2000) });
    const body = (await response.text()).trim();
    what =
      response.ok && body === '{"status":"ok"}'
        ? `a hush-server (GET /healthz answers ${body}), perhaps another npm start`
        : `an HTTP server that answers GET /healthz with HTTP ${response.status}`;
  } catch {
    what = "a process that accepts connections but does not answer HTTP";
  }
  const owner = listeningProcess(listenPort);
  return owner ? `${what}: process ${owner}` : what;
}

/** "PID (program script)" of the process listening on the TCP port, where /proc tells; else null. */
function listeningProcess(listenPort) {
  try {
    const hexPort = listenPort.toString(16).toUpperCase().padStart(4, "0");
    const inodes = new Set();
    for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
      if (!existsSync(table)) continue;
      for (const line of readFileSync(table, "utf8").split("\n").slice(1)) {
        const fields = line.trim().split(/\s+/);
        // fields: sl local_address rem_address st … inode; st 0A is LISTEN
        if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === "0A") inodes.add(fields[9]);
      }
    }
    for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
      let fds;
      try {
        fds = readdirSync(`/proc/${pid}/fd`);
      } catch {
        continue; // another user's process, or gone
      }
      for (const fd of fds) {
        let target;
        try {
          target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          continue;
        }
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) {
          // The program and its script only: later arguments may hold a database password.
          const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
          return `${pid} (${argv.slice(0, 2).join(" ")})`;
        }
      }
    }
  } catch {
    // not Linux, or /proc unreadable: the HTTP answer alone says what listens
  }
  return null;
}
