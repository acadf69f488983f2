import { loadConfig, loadConfigWithOrigins } from "@hush/config";
import { describe, expect, it } from "vitest";
import { testDir, useConfig } from "../test/helpers.js";
import { configure, Secret, SecretNotFoundError } from "./index.js";

async function notFound(name: string): Promise<SecretNotFoundError> {
  const error = await new Secret(name).get().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SecretNotFoundError);
  return error as SecretNotFoundError;
}

describe("SecretNotFoundError says why, where it looked and which files it read", () => {
  it('names the file, line and variable for STRIPE_KEY = "$STRIPE_KEY" with the variable unset', async () => {
    useConfig('backend = "cloud"\n[context.secrets]\nSTRIPE_KEY = "$STRIPE_KEY"\n');
    const error = await notFound("STRIPE_KEY");
    expect(error.message).toBe(
      'Local Secret "STRIPE_KEY" was not found: ~/.hush/config.toml:3 sets it to "$STRIPE_KEY" and STRIPE_KEY is not set. ' +
        "Looked only in the run context and [context.secrets]: local mode, as [cloud] use_local_secrets = true (the default); set it to false to ask the hush server. " +
        "Config file read: ~/.hush/config.toml.",
    );
  });

  it("returns the variable's value once it is set", async () => {
    useConfig(`[context.secrets]\nSTRIPE_KEY = "\${STRIPE_KEY}"\n`, { STRIPE_KEY: "sk_test_1" });
    expect(await new Secret("STRIPE_KEY").get()).toBe("sk_test_1");
  });

  it("names the variable of a secret given as a HUSH__ override, and of a nested key", async () => {
    useConfig('[context.secrets.AWS]\nKey = "$AWS_KEY"\n', {
      HUSH__CONTEXT__SECRETS__TOKEN: "$TOKEN",
    });
    expect((await notFound("TOKEN")).message).toMatch(
      /^Local Secret "TOKEN" was not found: HUSH__CONTEXT__SECRETS__TOKEN sets it to "\$TOKEN" and TOKEN is not set\. /,
    );
    expect((await notFound("AWS")).message).toMatch(
      /^Local Secret "AWS" was not found: ~\/\.hush\/config\.toml:2 sets its Key to "\$AWS_KEY" and AWS_KEY is not set\. /,
    );
  });

  it("says which setting chose local mode, and where it was set", async () => {
    useConfig("[cloud]\nuse_local_secrets = true\n", {});
    expect((await notFound("X")).message).toContain(
      "local mode, as [cloud] use_local_secrets = true (~/.hush/config.toml:2); set it to false",
    );
    useConfig("", { HUSH__BACKEND: "local", HUSH__CLOUD__USE_LOCAL_SECRETS: "false" });
    expect((await notFound("X")).message).toContain(
      'local mode, as backend = "local" (HUSH__BACKEND); the hush server is asked only with backend = "cloud"',
    );
  });

  it("says when no config file exists, and when the config was given to configure()", async () => {
    const home = testDir({});
    configure({ homeDir: home, env: {} });
    expect((await notFound("X")).message).toMatch(
      /Config files read: none \(~\/\.hush\/config\.toml does not exist\)\.$/,
    );
    configure({ config: loadConfig({ homeDir: home, env: {} }) });
    const given = (await notFound("X")).message;
    expect(given).toMatch(/The config was given to configure\(\)\.$/);
    // Where the given config's values came from is not known: no "(the default)" guess.
    expect(given).toContain("use_local_secrets = true; set it to false");
  });

  it("names the origins a program passes with the config it changed (a flag, a file line)", async () => {
    const home = testDir({ ".hush/config.toml": "# x\n[cloud]\nuse_local_secrets = false\n" });
    const loaded = loadConfigWithOrigins({ homeDir: home, env: {} });
    const origins = new Map(loaded.origins);
    origins.set("cloud.use_local_secrets", { kind: "flag", flag: "--local" });
    configure({
      config: { ...loaded.config, cloud: { ...loaded.config.cloud, use_local_secrets: true } },
      sources: { ...loaded, origins, home },
    });
    const message = (await notFound("X")).message;
    expect(message).toContain("use_local_secrets = true (the --local flag); set it to false");
    expect(message).toMatch(/Config file read: ~\/\.hush\/config\.toml\.$/);
  });

  it("points at a typo such as [context.secret] next to the secret it hides", async () => {
    useConfig('[context.secret]\nSTRIPE_KEY = "sk"\n');
    expect((await notFound("STRIPE_KEY")).message).toContain(
      "Note: ~/.hush/config.toml:1:1: unknown key context.secret in [context]; did you mean context.secrets? hush ignores it.",
    );
  });

  it("never quotes a value, only the reference the file holds", async () => {
    useConfig('[context.secrets]\nA = "$UNSET_A"\nB = "s3cr3t-value"\n');
    const error = await notFound("A");
    expect(error.message).not.toContain("s3cr3t-value");
  });
});

describe("JSON secrets keep their shape", () => {
  it("returns an object when a variable inside the JSON holds a quote", async () => {
    useConfig(
      `[context.secrets]\nDB_CREDENTIALS = '{"user": "app", "password": "$DB_PASSWORD"}'\n`,
      {
        DB_PASSWORD: 'p"w',
      },
    );
    expect(await new Secret("DB_CREDENTIALS").get()).toEqual({ user: "app", password: 'p"w' });
  });
});
