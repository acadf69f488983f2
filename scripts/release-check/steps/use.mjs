// The published packages used as a user would, in a fresh project outside the workspace with its
// own HOME: an app reads a local and a server secret through @hush/core, `npx @hush/server init`
// and `start` serve it, and a downstream package type-checks @hush/graphql's operation types.
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { checkDownstreamTypes } from "../downstream.mjs";
import { startServer } from "../hush-server.mjs";
import { expectJson, readJson, writeJson } from "../json.mjs";
import { run, step } from "../processes.mjs";
import { checkTarball, download } from "../tarball.mjs";
import { fixtures, home, work } from "../temp.mjs";
import { userEnvironment } from "../user-env.mjs";

export async function usePublishedPackages(packages, versions, registry) {
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
    copyFileSync(join(fixtures, "app.mjs"), join(app, "app.mjs"));
  });

  await step("the app reads a local secret from ~/.hush/config.toml", async () => {
    mkdirSync(join(home, ".hush"));
    copyFileSync(join(fixtures, "config.toml"), join(home, ".hush", "config.toml"));
    const out = await run(process.execPath, ["app.mjs", "GREETING"], {
      cwd: app,
      env: userEnv,
      quiet: true,
    });
    expectJson(out, { GREETING: "hello from the local config" }, "the local secret");
  });

  await step("npx @hush/cli --help", async () => {
    const out = await npx(["@hush/cli", "--help"], app, userEnv);
    if (!/usage/i.test(out)) throw new Error(`npx @hush/cli --help printed no usage:\n${out}`);
  });

  const dataDir = join(work, "server-data");
  await step("npx @hush/server --help (installs the server)", async () => {
    const help = await serverInstalled;
    if (!/usage/i.test(help)) throw new Error(`npx @hush/server --help printed no usage:\n${help}`);
  });

  const tokens = await step("npx @hush/server init, and a RUNNER token", async () => {
    const init = JSON.parse(
      await npx(["@hush/server", "init", "--data-dir", dataDir, "--json"], app, userEnv),
    );
    if (!init.created || typeof init.token !== "string") {
      throw new Error(`npx @hush/server init did not create a tenant and its admin token.`);
    }
    const runner = JSON.parse(
      await npx(
        [
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
        app,
        userEnv,
      ),
    );
    return { admin: init.token, runner: runner.token };
  });

  await step(
    "npx @hush/server start; the app reads a server secret with the RUNNER token",
    async () => {
      const server = await startServer(dataDir, app, userEnv);
      try {
        await readServerSecret(server.endpoint, tokens, app, userEnv);
      } finally {
        await server.stop();
      }
    },
  );

  await step("a downstream package type-checks @hush/graphql's operation types", async () => {
    await checkDownstreamTypes(userEnv);
  });
}

/** An admin sets a secret over the API; the app reads it with the RUNNER token. */
async function readServerSecret(endpoint, tokens, app, userEnv) {
  const response = await fetch(`${endpoint}/graphql`, {
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
      HUSH__CLOUD__ENDPOINT: endpoint,
      HUSH__CLOUD__API_KEY: tokens.runner,
    },
    quiet: true,
  });
  expectJson(out, { SERVER_SECRET: "hello from hush-server" }, "the server secret");
}

function npx(args, cwd, env) {
  return run("npx", ["--yes", ...args], { cwd, env, quiet: true });
}
