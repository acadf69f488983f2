import { execFile } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { testDir } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { startRealServer } from "../support/real-server.js";

// The fixture @hush/core's own plain-Node test runs, here against the real server.
const coreDir = join(dirname(fileURLToPath(import.meta.url)), "../../packages/core");
const script = join(coreDir, "test/fixtures/read-secret.mjs");

describe("a plain Node program importing @hush/core", () => {
  it("gets a secret from the real server when HUSH__CLOUD__USE_LOCAL_SECRETS=false", async () => {
    const server = await startRealServer({ secrets: { DB: { user: "app" } } });
    const dir = testDir({ "hush.toml": `[cloud]\nendpoint = "${server.url}"\n` });
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--conditions=@hush/source", script, "DB"],
      {
        cwd: coreDir,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: testDir({}),
          HUSH__USER_CONFIG_PATH: join(dir, "hush.toml"),
          HUSH__CLOUD__USE_LOCAL_SECRETS: "false",
          HUSH__CLOUD__API_KEY: server.tokens.RUNNER,
        },
      },
    );
    expect(stdout.trim()).toBe('{"user":"app"}');
  }, 30_000);
});
