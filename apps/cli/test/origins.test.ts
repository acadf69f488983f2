import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startRealServer } from "@hush/integration-tests/real-server";
import { testDir } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { hush } from "./hush.js";

/** `use_local_secrets` on line 3, a secret naming an unset variable on line 6. */
const CONFIG = `# mine
[cloud]
use_local_secrets = true

[context.secrets]
STRIPE_KEY = "$HUSH_TEST_UNSET_STRIPE"
DB_URL = "postgres://db"
`;

function saveLogin(home: string, endpoint: string, token: string): void {
  mkdirSync(join(home, ".hush"), { recursive: true });
  const file = join(home, ".hush/auth.toml");
  writeFileSync(file, `[${JSON.stringify(endpoint)}]\napi_key = ${JSON.stringify(token)}\n`);
  chmodSync(file, 0o600);
}

describe("messages name where a setting came from", () => {
  it("names the file and line that set use_local_secrets, and the file read", async () => {
    const home = testDir({ ".hush/config.toml": CONFIG });
    const result = await hush(["secrets", "get", "NOPE"], { home });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      "use_local_secrets = true (~/.hush/config.toml:3); set it to false",
    );
    expect(result.stderr).toContain("Config file read: ~/.hush/config.toml.");
    expect(result.stderr).not.toContain("the default");
    expect(result.stderr).not.toContain("configure()");
  });

  it("names the --local flag when it chose local mode", async () => {
    const home = testDir({ ".hush/config.toml": CONFIG.replace("= true", "= false") });
    const result = await hush(["secrets", "get", "NOPE", "--local"], { home });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("use_local_secrets = true (the --local flag)");
  });

  it("names the variable that turned server mode on, with the server up and down", async () => {
    const server = await startRealServer();
    const home = testDir({ ".hush/config.toml": CONFIG });
    const env = {
      HUSH__CLOUD__USE_LOCAL_SECRETS: "false",
      HUSH__CLOUD__ENDPOINT: server.url,
      HUSH__CLOUD__API_KEY: server.tokens.RUNNER,
    };
    const missing = await hush(["secrets", "get", "NOPE"], { home, env });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("use_local_secrets = false (HUSH__CLOUD__USE_LOCAL_SECRETS)");
    expect(missing.stderr).not.toContain("the default");
    await server.stop();
    const down = await hush(["secrets", "get", "NOPE"], { home, env });
    expect(down.code).toBe(5);
    expect(down.stderr).toContain("set HUSH__CLOUD__USE_LOCAL_SECRETS=true");
  }, 60_000);

  it("names hush login's auth.toml as the origin of the token, in messages and --origins", async () => {
    const server = await startRealServer();
    const home = testDir({
      ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\nuse_local_secrets = false\n`,
    });
    saveLogin(home, server.url, server.tokens.USER);
    const show = await hush(["config", "show", "--origins"], { home });
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/cloud\.api_key\s+•+\s+~\/\.hush\/auth\.toml \(hush login\)\n/);
    expect(show.stdout).not.toContain(server.tokens.USER);
    const json = JSON.parse(
      (await hush(["config", "show", "--origins", "--json"], { home })).stdout,
    );
    expect(json.find((row: { key: string }) => row.key === "cloud.api_key").origin).toEqual({
      kind: "login",
      file: join(home, ".hush/auth.toml"),
    });
    const refused = await hush(["secrets", "get", "ANY"], { home });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain("saved in ~/.hush/auth.toml");

    const env = { HUSH__CLOUD__API_KEY: server.tokens.USER };
    const fromEnv = await hush(["secrets", "get", "ANY"], { home, env });
    expect(fromEnv.stderr).toContain("the API token from HUSH__CLOUD__API_KEY");
    const envShow = await hush(["config", "show", "--origins"], { home, env });
    expect(envShow.stdout).toMatch(/cloud\.api_key\s+•+\s+env HUSH__CLOUD__API_KEY\n/);
  }, 60_000);
});

describe("secrets list (local)", () => {
  it("lists a secret whose $VAR is unset, marked unset with its file and line", async () => {
    const home = testDir({ ".hush/config.toml": CONFIG });
    const list = await hush(["secrets", "list"], { home });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/DB_URL\s+local/);
    expect(list.stdout).toMatch(
      /STRIPE_KEY\s+local\s+unset: ~\/\.hush\/config\.toml:6 names \$HUSH_TEST_UNSET_STRIPE, which is not set/,
    );
    const json = JSON.parse((await hush(["secrets", "list", "--json"], { home })).stdout);
    expect(json).toEqual([
      { name: "DB_URL", source: "local", set: true },
      {
        name: "STRIPE_KEY",
        source: "local",
        set: false,
        variable: "HUSH_TEST_UNSET_STRIPE",
        origin: { kind: "file", file: join(home, ".hush/config.toml"), line: 6, column: 14 },
      },
    ]);
  });
});
