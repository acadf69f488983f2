// `npm start`: hush's main job on one machine. Initialises the embedded server's data folder when
// needed, starts hush-server on it, sets a first secret with the seed document's GraphQL mutation,
// reads it back through `@hush/core` in a separate program, and keeps serving until Ctrl-C
// (`--once`: stops the server after the first set and read, for scripted checks).
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = join(root, "apps/server/dist/bin.js");
const hello = join(root, "examples/hello/dist/index.js");
const dataDir = process.env.HUSH_DATA_DIR ?? join(root, ".hush-data");
const host = process.env.HUSH_HOST ?? "127.0.0.1";
const port = process.env.HUSH_PORT ?? "4200";
const endpoint = `http://${host}:${port}`;
// The quickstart keeps its admin token beside the master key, readable by this user only.
const tokenFile = join(dataDir, "quickstart-token.json");
const shownDir = relative(process.cwd(), dataDir) || ".";
const once = process.argv.includes("--once");

const token = adminToken();
const server = spawn(
  process.execPath,
  [bin, "start", "--data-dir", dataDir, "--host", host, "--port", port, "--log-level", "warn"],
  { stdio: "inherit" },
);
let stopping = false;
let finalCode = 0;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopping = true;
    server.kill(signal);
  });
}
server.on("exit", (code, signal) => {
  if (!stopping) console.error(`hush-server stopped (${signal ?? `exit code ${code}`}).`);
  process.exit(stopping ? finalCode : (code ?? 1));
});

await waitUntilReady();
await setFirstSecret();
const readOk = readFirstSecret();
if (once) {
  stopping = true;
  finalCode = readOk ? 0 : 1;
  server.kill("SIGTERM");
} else {
  printNextSteps();
}

function hushServer(args) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });
  if (result.status !== 0) {
    process.stderr.write(result.stderr);
    process.exit(result.status ?? 1);
  }
  return JSON.parse(result.stdout);
}

function adminToken() {
  const init = hushServer([
    "init",
    "--data-dir",
    dataDir,
    "--host",
    host,
    "--port",
    port,
    "--json",
  ]);
  if (init.token) {
    save(init.token);
    return init.token;
  }
  if (existsSync(tokenFile)) return JSON.parse(readFileSync(tokenFile, "utf8")).token;
  // Initialised by hand earlier: mint a token of our own through the offline admin path.
  const created = hushServer([
    "token",
    "create",
    "--data-dir",
    dataDir,
    "--role",
    "TENANT_ADMIN",
    "--name",
    "quickstart",
    "--json",
  ]);
  save(created.token);
  return created.token;
}

function save(value) {
  writeFileSync(tokenFile, `${JSON.stringify({ endpoint, token: value })}\n`, { mode: 0o600 });
  chmodSync(tokenFile, 0o600);
}

async function waitUntilReady() {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${endpoint}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  console.error(`hush-server did not become ready at ${endpoint} within 30 s.`);
  server.kill("SIGTERM");
  process.exit(1);
}

async function setFirstSecret() {
  const query =
    'mutation { setSecret(input: {name: "HELLO_HUSH", value: "hello from hush"}) { success } }';
  const response = await fetch(`${endpoint}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  const body = await response.json();
  if (body.errors) {
    console.error(`Setting the first secret failed: ${body.errors[0].message}`);
    server.kill("SIGTERM");
    process.exit(1);
  }
  console.log(
    `\nSet a first secret with the seed document's mutation:\n  ${query}\n  → ${JSON.stringify(body.data)}`,
  );
}

function readFirstSecret() {
  console.log("\nRead it back through @hush/core (examples/hello), in cloud mode:");
  const result = spawnSync(process.execPath, [hello, "HELLO_HUSH"], {
    encoding: "utf8",
    env: {
      ...process.env,
      HUSH__BACKEND: "cloud",
      HUSH__CLOUD__USE_LOCAL_SECRETS: "false",
      HUSH__CLOUD__ENDPOINT: endpoint,
      HUSH__CLOUD__API_KEY: token,
    },
  });
  process.stdout.write(`  ${result.stdout}`);
  if (result.status !== 0) process.stderr.write(result.stderr);
  return result.status === 0;
}

function printNextSteps() {
  console.log(`
hush-server is serving ${endpoint}/graphql on the embedded database in ${shownDir}/.
An admin token for this tenant is in ${relative(process.cwd(), tokenFile)} (mode 0600).

Web console: ${endpoint}/  (sign in with the admin token; show it with
  node -p 'require("./${relative(process.cwd(), tokenFile)}").token')

  export HUSH_TOKEN=$(node -p 'require("./${relative(process.cwd(), tokenFile)}").token')
  curl -s ${endpoint}/graphql -H "authorization: Bearer $HUSH_TOKEN" -H 'content-type: application/json' \\
    -d '{"query":"mutation { setSecret(input: {name: \\"API_KEY\\", value: \\"s3cr3t\\"}) { success } }"}'
  curl -s ${endpoint}/graphql -H "authorization: Bearer $HUSH_TOKEN" -H 'content-type: application/json' \\
    -d '{"query":"{ secret(order_by: {name: asc}) { name } }"}'

In code:  import { Secret } from "@hush/core";  await new Secret("API_KEY").get();
with HUSH__CLOUD__USE_LOCAL_SECRETS=false, HUSH__CLOUD__ENDPOINT=${endpoint} and HUSH__CLOUD__API_KEY set.
Press Ctrl-C to stop.`);
}
