import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { startFakeServer } from "@hush/graphql/testing";
import { describe, expect, it, onTestFinished } from "vitest";
import { testDir } from "./helpers.js";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const script = join(packageDir, "test/fixtures/read-secret.mjs");

/** Runs the fixture as a user would, with `env` as the whole environment (plus PATH). */
async function readSecret(name: string, env: Record<string, string>) {
  const home = testDir({});
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--conditions=@hush/source", script, name],
      { cwd: packageDir, env: { PATH: process.env.PATH ?? "", HOME: home, ...env } },
    );
    return { stdout: stdout.trim(), stderr: "", code: 0 };
  } catch (error) {
    const { stdout, stderr, code } = error as { stdout: string; stderr: string; code: number };
    return { stdout: stdout.trim(), stderr: stderr.trim(), code };
  }
}

describe("a plain Node program importing @hush/core", () => {
  it("gets a secret from a config file and HUSH__ variables, with no setup code", async () => {
    const dir = testDir({ "hush.toml": `[context.secrets]\nFROM_FILE = '{"a": 1}'\n` });
    const env = {
      HUSH__USER_CONFIG_PATH: join(dir, "hush.toml"),
      HUSH__CONTEXT__SECRETS__FROM_ENV: "from env",
    };
    expect(await readSecret("FROM_FILE", env)).toMatchObject({ stdout: '{"a":1}', code: 0 });
    expect(await readSecret("FROM_ENV", env)).toMatchObject({ stdout: '"from env"', code: 0 });
    expect(await readSecret("MISSING", env)).toMatchObject({
      stderr: `NOT_FOUND: Local Secret "MISSING" was not found. Looked only in the run context and [context.secrets]: local mode, as [cloud] use_local_secrets = true (the default); set it to false to ask the hush server. Config file read: ${join(dir, "hush.toml")}.`,
      code: 1,
    });
  }, 30_000);

  it("gets a secret from the server when HUSH__CLOUD__USE_LOCAL_SECRETS=false", async () => {
    const server = await startFakeServer({
      tokens: { hush_runner_token: "RUNNER" },
      secrets: { DB: { user: "app" } },
    });
    onTestFinished(() => server.close());
    const dir = testDir({ "hush.toml": `[cloud]\nendpoint = "${server.url}"\n` });
    const env = {
      HUSH__USER_CONFIG_PATH: join(dir, "hush.toml"),
      HUSH__CLOUD__USE_LOCAL_SECRETS: "false",
      HUSH__CLOUD__API_KEY: "hush_runner_token",
    };
    expect(await readSecret("DB", env)).toMatchObject({ stdout: '{"user":"app"}', code: 0 });
  }, 30_000);
});
