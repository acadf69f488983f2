// `pnpm release:check`: the release, proved end to end. In a temporary copy of the workspace (the
// repository itself is left as it was) it runs the release exactly as a maintainer would,
// `changeset version` then `changeset publish`, against a real npm registry started locally
// (Verdaccio, temp storage, no uplinks). Then, in a fresh project outside the workspace with its
// own HOME, it installs the published packages and uses them as a user would: an app reads a local
// and a server secret through @hush/core, `npx @hush/server init` and `start` serve it, and a
// downstream TypeScript package type-checks the generated operation types of @hush/graphql under
// `moduleResolution: "nodenext"` and `"bundler"`. Every tarball is checked first: publint, "are
// the types wrong", and no tests, fixtures or sources in it.
//
// `--keep` leaves the temporary folder (its path is printed) for a look around.
import { execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join, relative, resolve } from "node:path";
import { pnpmBin, publishable, root } from "./workspace-packages.mjs";

const scriptsBin = join(root, "scripts", "node_modules", ".bin");
const keep = process.argv.includes("--keep");
const started = performance.now();
const children = new Set();
// Process groups of detached children (npx and the hush-server it starts), killed whole at the end.
const groups = new Set();

const work = realpathSync(mkdtempSync(join(tmpdir(), "hush-release-check-")));
if (!relative(root, work).startsWith(".."))
  fail(`The temporary folder ${work} is inside the workspace.`);
const copy = join(work, "workspace");
const home = join(work, "home");
const tarballs = join(work, "tarballs");
for (const dir of [home, tarballs]) mkdirSync(dir, { recursive: true });

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    console.error(`\nrelease check: stopped by ${signal}.`);
    cleanUp();
    process.exit(1);
  });
}

try {
  await main();
  console.log(`\nrelease check passed in ${seconds(started)}.`);
} catch (error) {
  console.error(`\nrelease check FAILED: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  cleanUp();
}

async function main() {
  const statusBefore = gitStatus();

  const packages = await step("build the packages", async () => {
    await run(
      join(root, "node_modules", ".bin", "turbo"),
      ["run", "build", "--output-logs=errors-only"],
      {
        cwd: root,
      },
    );
    return publishable();
  });
  console.log(`  publishable: ${packages.map((p) => p.name).join(", ")}`);

  const versions = await step("changeset version (in a copy of the workspace)", async () => {
    copyWorkspace(packages);
    await run(process.execPath, [changesetBin(), "version"], { cwd: copy, env: cleanEnv() });
    // pnpm rewrites workspace: ranges from the installed workspace links: install them (offline,
    // from the store the workspace was installed from; no build scripts are needed to publish).
    await run(
      pnpmBin(),
      ["install", "--offline", "--frozen-lockfile", "--ignore-scripts", "--reporter=silent"],
      { cwd: copy, env: cleanEnv(), quiet: true },
    );
    return Object.fromEntries(
      packages.map((p) => [p.name, readJson(join(copy, p.dir, "package.json")).version]),
    );
  });
  console.log(`  ${packages.map((p) => `${p.name}@${versions[p.name]}`).join(", ")}`);
  for (const p of packages) {
    const changelog = join(copy, p.dir, "CHANGELOG.md");
    if (!existsSync(changelog))
      throw new Error(`changeset version wrote no CHANGELOG.md for ${p.name}.`);
  }

  const registry = await step("start Verdaccio", startVerdaccio);
  console.log(`  ${registry.url} (storage ${relative(work, registry.storage)}, no uplinks)`);

  await step("changeset publish", async () => {
    const publishHome = join(work, "publish-home");
    mkdirSync(publishHome);
    writeFileSync(
      join(publishHome, ".npmrc"),
      `@hush:registry=${registry.url}\n${authLine(registry.url)}=${registry.token}\n`,
    );
    await run(process.execPath, [changesetBin(), "publish", "--no-git-tag"], {
      cwd: copy,
      env: {
        ...cleanEnv(),
        // changesets runs `pnpm publish`: the workspace's pnpm, also where none is installed.
        PATH: `${join(root, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`,
        HOME: publishHome,
        npm_config_userconfig: join(publishHome, ".npmrc"),
        // changesets asks the registry what is published through these variables, not the .npmrc;
        // with both on the local registry, nothing of the release reaches the public one.
        "npm_config_@hush:registry": registry.url,
        npm_config_registry: registry.url,
      },
    });
  });

  const userEnv = userEnvironment(registry.url);

  const app = join(work, "app");
  mkdirSync(app);
  writeJson(join(app, "package.json"), {
    name: "release-check-app",
    private: true,
    type: "module",
  });
  // Installing the server compiles better-sqlite3, the slow part of the run: started now, it
  // overlaps the tarball checks below. `npx @hush/server --help` is itself one of the checks.
  const serverInstalled = run("npx", ["--yes", "@hush/server", "--help"], {
    cwd: app,
    env: userEnv,
    quiet: true,
  });
  serverInstalled.catch(() => {}); // awaited below; this only keeps an early failure unhandled-free

  await step("check every published tarball", async () => {
    for (const p of packages) {
      await checkTarball(p, await download(registry.url, p.name, versions[p.name]));
    }
  });

  await step("npm install @hush/core in a fresh project outside the workspace", async () => {
    await run("npm", ["install", "@hush/core"], { cwd: app, env: userEnv, quiet: true });
    const installed = readJson(join(app, "node_modules", "@hush", "core", "package.json")).version;
    if (installed !== versions["@hush/core"]) {
      throw new Error(
        `npm installed @hush/core@${installed}, not the ${versions["@hush/core"]} just published.`,
      );
    }
    writeFileSync(
      join(app, "app.mjs"),
      'import { Secret } from "@hush/core";\n\nconst name = process.argv[2];\nconsole.log(JSON.stringify({ [name]: await new Secret(name).get() }));\n',
    );
  });

  await step("the app reads a local secret from ~/.hush/config.toml", async () => {
    mkdirSync(join(home, ".hush"));
    writeFileSync(
      join(home, ".hush", "config.toml"),
      '[context.secrets]\nGREETING = "hello from the local config"\n',
    );
    const out = await run(process.execPath, ["app.mjs", "GREETING"], {
      cwd: app,
      env: userEnv,
      quiet: true,
    });
    expectJson(out, { GREETING: "hello from the local config" }, "the local secret");
  });

  await step("npx @hush/cli --help", async () => {
    const out = await run("npx", ["--yes", "@hush/cli", "--help"], {
      cwd: app,
      env: userEnv,
      quiet: true,
    });
    if (!/usage/i.test(out)) throw new Error(`npx @hush/cli --help printed no usage:\n${out}`);
  });

  const dataDir = join(work, "server-data");
  await step("npx @hush/server --help (installs the server)", async () => {
    const help = await serverInstalled;
    if (!/usage/i.test(help)) throw new Error(`npx @hush/server --help printed no usage:\n${help}`);
  });

  const tokens = await step("npx @hush/server init, and a RUNNER token", async () => {
    const init = JSON.parse(
      await run("npx", ["--yes", "@hush/server", "init", "--data-dir", dataDir, "--json"], {
        cwd: app,
        env: userEnv,
        quiet: true,
      }),
    );
    if (!init.created || typeof init.token !== "string") {
      throw new Error(`npx @hush/server init did not create a tenant and its admin token.`);
    }
    const runner = JSON.parse(
      await run(
        "npx",
        [
          "--yes",
          "@hush/server",
          "token",
          "create",
          "--data-dir",
          dataDir,
          "--role",
          "RUNNER",
          "--name",
          "release-check",
          "--json",
        ],
        { cwd: app, env: userEnv, quiet: true },
      ),
    );
    return { admin: init.token, runner: runner.token };
  });

  await step(
    "npx @hush/server start; the app reads a server secret with the RUNNER token",
    async () => {
      const server = await startServer(dataDir, app, userEnv);
      try {
        const response = await fetch(`${server.endpoint}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${tokens.admin}` },
          body: JSON.stringify({
            query:
              'mutation { setSecret(input: {name: "SERVER_SECRET", value: "hello from hush-server"}) { success } }',
          }),
        });
        const body = await response.json();
        if (!body.data?.setSecret?.success) {
          throw new Error(`setSecret failed: ${JSON.stringify(body.errors ?? body)}`);
        }
        const out = await run(process.execPath, ["app.mjs", "SERVER_SECRET"], {
          cwd: app,
          env: {
            ...userEnv,
            HUSH__CLOUD__USE_LOCAL_SECRETS: "false",
            HUSH__CLOUD__ENDPOINT: server.endpoint,
            HUSH__CLOUD__API_KEY: tokens.runner,
          },
          quiet: true,
        });
        expectJson(out, { SERVER_SECRET: "hello from hush-server" }, "the server secret");
      } finally {
        await server.stop();
      }
    },
  );

  await step("a downstream package type-checks @hush/graphql's operation types", async () => {
    await checkDownstreamTypes(userEnv);
  });

  const statusAfter = gitStatus();
  if (statusAfter !== statusBefore) {
    throw new Error(`The release check changed the repository:\n${statusAfter}`);
  }
}

/** The workspace's files (tracked, or new and not ignored) plus the published packages' builds. */
function copyWorkspace(packages) {
  const files = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    {
      cwd: root,
      encoding: "utf8",
    },
  )
    .split("\0")
    .filter((file) => file && existsSync(join(root, file)));
  for (const file of files) cpSync(join(root, file), join(copy, file));
  for (const p of packages) {
    const dist = join(root, p.dir, "dist");
    if (existsSync(dist)) cpSync(dist, join(copy, p.dir, "dist"), { recursive: true });
  }
}

async function startVerdaccio() {
  const storage = join(work, "verdaccio", "storage");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const config = join(work, "verdaccio", "config.yaml");
  mkdirSync(storage, { recursive: true });
  // Only @hush/* is served, and from this storage alone: no uplink, so nothing of ours can come
  // from the public registry. Users' npm gets everything else from its usual registry.
  writeFileSync(
    config,
    [
      `storage: ${JSON.stringify(storage)}`,
      "auth:",
      "  htpasswd:",
      `    file: ${JSON.stringify(join(work, "verdaccio", "htpasswd"))}`,
      "    max_users: 1",
      "uplinks: {}",
      "packages:",
      '  "@hush/*":',
      "    access: $all",
      "    publish: $authenticated",
      "web:",
      "  enable: false",
      "log: { type: stdout, format: pretty, level: error }",
      "",
    ].join("\n"),
  );
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

/** Downloads a published tarball the way npm would: the packument's dist.tarball. */
async function download(registryUrl, name, version) {
  const packument = await (await fetch(`${registryUrl}${name.replace("/", "%2f")}`)).json();
  const dist = packument.versions?.[version]?.dist;
  if (!dist) throw new Error(`${name}@${version} is not on the local registry.`);
  const response = await fetch(dist.tarball);
  if (!response.ok) throw new Error(`Downloading ${dist.tarball} failed: HTTP ${response.status}.`);
  const file = join(tarballs, `${name.replace("@", "").replace("/", "-")}-${version}.tgz`);
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

async function checkTarball(p, tarball) {
  const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
    .split("\n")
    .filter(Boolean)
    .map((file) => file.replace(/^package\//, ""));
  const manifest = JSON.parse(
    execFileSync("tar", ["-xzOf", tarball, "package/package.json"], { encoding: "utf8" }),
  );
  const problems = [];
  const stray = files.filter(
    (file) =>
      /(^|\/)(src|test|tests|fixtures|__fixtures__)\//.test(file) ||
      /\.test\.|\.tsbuildinfo$/.test(file),
  );
  if (stray.length > 0)
    problems.push(`tests, fixtures or sources in the tarball: ${stray.join(", ")}`);
  if (!files.includes("README.md")) problems.push("no README.md");
  if (!files.includes("LICENSE")) problems.push("no LICENSE");
  for (const field of ["license", "repository", "engines", "exports"]) {
    if (manifest[field] === undefined) problems.push(`no "${field}" in package.json`);
  }
  if (manifest.private) problems.push('"private": true');
  if (manifest.repository?.directory !== p.dir) {
    problems.push(`repository.directory is ${manifest.repository?.directory}, not ${p.dir}`);
  }
  const text = JSON.stringify(manifest);
  if (text.includes("workspace:")) problems.push("a workspace: range was not rewritten");
  if (text.includes("@hush/source"))
    problems.push("the exports still name the @hush/source condition");
  for (const [entry, target] of Object.entries(manifest.exports ?? {})) {
    if (entry !== "./package.json" && typeof target === "object" && !target.types) {
      problems.push(`exports["${entry}"] has no types`);
    }
  }
  for (const target of Object.values(manifest.bin ?? {})) {
    if (!files.includes(target.replace(/^\.\//, "")))
      problems.push(`the bin ${target} is not in the tarball`);
  }
  if (problems.length > 0) throw new Error(`${p.name}: ${problems.join("; ")}.`);

  await run(join(scriptsBin, "publint"), ["run", tarball, "--strict"], {
    cwd: tarballs,
    quiet: true,
  }).catch((error) => {
    throw new Error(`publint found problems in ${p.name}: ${error.message}`);
  });
  // ESM-only packages: "require() of ESM" is by design, so the esm-only profile.
  await run(join(scriptsBin, "attw"), [tarball, "--profile", "esm-only", "--no-color"], {
    cwd: tarballs,
    quiet: true,
  }).catch((error) => {
    throw new Error(`"are the types wrong" found problems in ${p.name}: ${error.message}`);
  });
  console.log(`  ${p.name}: ${files.length} files, publint and attw clean`);
}

async function checkDownstreamTypes(env) {
  const dir = join(work, "downstream");
  mkdirSync(dir);
  const rootManifest = readJson(join(root, "package.json"));
  writeJson(join(dir, "package.json"), {
    name: "release-check-downstream",
    private: true,
    type: "module",
  });
  await run(
    "npm",
    [
      "install",
      "@hush/graphql",
      `typescript@${rootManifest.devDependencies.typescript}`,
      `@types/node@${rootManifest.devDependencies["@types/node"]}`,
    ],
    { cwd: dir, env, quiet: true },
  );
  writeFileSync(
    join(dir, "index.ts"),
    `import {
  type HushClient,
  SetSecretDocument,
  type SetSecretMutation,
  type SetSecretMutationVariables,
} from "@hush/graphql";

export async function setSecret(
  client: HushClient,
  variables: SetSecretMutationVariables,
): Promise<number> {
  const result: SetSecretMutation = await client.request(SetSecretDocument, variables);
  return result.setSecret.version;
}

export async function withoutValue(client: HushClient): Promise<void> {
  // @ts-expect-error: the document's variables are typed, so leaving out the value does not type-check.
  await client.request(SetSecretDocument, { name: "API_KEY" });
}

// @ts-expect-error: the generated variables are exact, so a misspelt field does not type-check.
export const misspelt: SetSecretMutationVariables = { nam: "API_KEY", value: 1 };
`,
  );
  const strict = {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    target: "ES2022",
    types: ["node"],
  };
  const configs = {
    nodenext: { module: "nodenext", moduleResolution: "nodenext" },
    bundler: { module: "esnext", moduleResolution: "bundler" },
  };
  for (const [name, resolution] of Object.entries(configs)) {
    writeJson(join(dir, `tsconfig.${name}.json`), {
      compilerOptions: { ...strict, ...resolution },
      files: ["index.ts"],
    });
    await run(
      process.execPath,
      [join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", `tsconfig.${name}.json`],
      {
        cwd: dir,
        env,
        quiet: true,
      },
    ).catch((error) => {
      throw new Error(`moduleResolution "${name}": ${error.message}`);
    });
    console.log(`  moduleResolution "${name}": type-checks`);
  }
}

/** `npx @hush/server start` on a free port; resolves once it says where it listens. */
async function startServer(dataDir, cwd, env) {
  const child = track(
    spawn(
      "npx",
      [
        "--yes",
        "@hush/server",
        "start",
        "--data-dir",
        dataDir,
        "--port",
        "0",
        "--log-level",
        "warn",
      ],
      {
        cwd,
        env,
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      },
    ),
  );
  groups.add(child.pid);
  let output = "";
  child.stderr.on("data", (chunk) => (output += chunk));
  const endpoint = await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = /hush-server listening on (\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) =>
      reject(new Error(`npx @hush/server start exited (${code}):\n${output}`)),
    );
  });
  console.log(`  hush-server listening on ${endpoint}`);
  return {
    endpoint,
    async stop() {
      const exited = once(child, "exit");
      // Ctrl-C in a terminal: SIGINT to npx and the hush-server it runs (npx passes no signal on).
      process.kill(-child.pid, "SIGINT");
      const [code, signal] = await exited;
      if (code !== 0 && signal !== "SIGINT") {
        throw new Error(
          `npx @hush/server start ended with ${signal ?? `code ${code}`}:\n${output}`,
        );
      }
      for (let tries = 0; ; tries++) {
        const serving = await fetch(`${endpoint}/healthz`).then(
          () => true,
          () => false,
        );
        if (!serving) break;
        if (tries === 100)
          throw new Error(`hush-server still answers at ${endpoint} after Ctrl-C (SIGINT).`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

/**
 * The outside user's environment: a fresh HOME whose .npmrc takes @hush/* from the local registry
 * (everything else from npm's usual registry), no npm or pnpm settings inherited from the workspace,
 * and no workspace folder on PATH.
 */
function userEnvironment(registryUrl) {
  writeFileSync(
    join(home, ".npmrc"),
    `@hush:registry=${registryUrl}\nfund=false\naudit=false\nupdate-notifier=false\n`,
  );
  const env = cleanEnv();
  // Where better-sqlite3 finds no prebuilt binary to download (a network that reaches only the
  // npm registry), it compiles: with the running Node.js's own headers rather than downloaded ones.
  const headers = resolve(process.execPath, "..", "..");
  if (existsSync(join(headers, "include", "node", "common.gypi"))) env.npm_config_nodedir = headers;
  env.HOME = home;
  env.npm_config_userconfig = join(home, ".npmrc");
  env.npm_config_cache = join(home, ".npm");
  env.PATH = (env.PATH ?? "")
    .split(delimiter)
    .filter((entry) => entry && relative(root, entry).startsWith(".."))
    .join(delimiter);
  return env;
}

function cleanEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|HUSH_|HUSH__)/i.test(key)) env[key] = value;
  }
  return env;
}

function changesetBin() {
  return join(root, "node_modules", "@changesets", "cli", "bin.js");
}

function authLine(url) {
  return `//${url.replace(/^https?:\/\//, "")}:_authToken`;
}

function gitStatus() {
  if (!existsSync(join(root, ".git"))) return "";
  return execFileSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8" });
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

/** Runs a command; resolves with its stdout, rejects with its output when it fails. */
function run(command, args, { cwd, env = cleanEnv(), quiet = false }) {
  return new Promise((resolve, reject) => {
    const child = track(spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] }));
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (!quiet) process.stdout.write(indent(chunk));
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      if (!quiet) process.stderr.write(indent(chunk));
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolve(stdout);
      else {
        const shown = [command, ...args]
          .map((part) => (relative(work, part).startsWith("..") ? part : relative(work, part)))
          .join(" ");
        reject(
          new Error(`\`${shown}\` failed (${signal ?? `exit code ${code}`}):\n${stdout}${stderr}`),
        );
      }
    });
  });
}

function track(child) {
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}

async function step(title, action) {
  const start = performance.now();
  console.log(`\n▸ ${title}`);
  const result = await action();
  console.log(`  ✓ ${seconds(start)}`);
  return result;
}

function expectJson(out, expected, what) {
  const got = JSON.parse(out.trim().split("\n").at(-1));
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    throw new Error(
      `The app did not read ${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}.`,
    );
  }
  console.log(`  read ${Object.keys(expected)[0]} as expected`);
}

function cleanUp() {
  for (const child of children) child.kill("SIGKILL");
  for (const group of groups) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // already gone
    }
  }
  if (keep) console.log(`The temporary folder is kept: ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

function fail(message) {
  console.error(`release check: ${message}`);
  process.exit(1);
}

function indent(chunk) {
  return String(chunk).replace(/^(?=.)/gm, "  ");
}

function seconds(start) {
  return `${((performance.now() - start) / 1000).toFixed(1)} s`;
}

function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

function writeJson(file, value) {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
