import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { testDir, useConfig } from "../test/helpers.js";
import {
  ConfigError,
  configure,
  HushError,
  Redacted,
  resetConfiguration,
  Secret,
  SecretError,
  SecretNotFoundError,
  withContext,
} from "./index.js";

const SECRETS = `
[context.secrets]
PLAIN = "hello"
NUMBER_STRING = "42"
QUOTED = '"42"'
BOOL_STRING = "true"
JSON_OBJECT = '{"x": 1, "y": "2"}'
NOT_JSON = "{oops"
TOML_NUMBER = 7
[context.secrets.AWS]
Key = "AKIA"
Secret = "s3cr3t"
`;

describe("Secret (local secrets)", () => {
  it("reads a string from [context.secrets]", async () => {
    useConfig(SECRETS);
    expect(await new Secret("PLAIN").get()).toBe("hello");
  });

  it("auto-loads JSON strings, as Prefect does", async () => {
    useConfig(SECRETS);
    expect(await new Secret("NUMBER_STRING").get()).toBe(42);
    expect(await new Secret("QUOTED").get()).toBe("42");
    expect(await new Secret("BOOL_STRING").get()).toBe(true);
    expect(await new Secret("JSON_OBJECT").get()).toEqual({ x: 1, y: "2" });
    expect(await new Secret("NOT_JSON").get()).toBe("{oops");
    expect(await new Secret("TOML_NUMBER").get()).toBe(7);
  });

  it("returns nested tables as plain, mutable objects that do not change the config", async () => {
    useConfig(SECRETS);
    const aws = (await new Secret("AWS").get()) as Record<string, unknown>;
    expect(aws).toEqual({ Key: "AKIA", Secret: "s3cr3t" });
    expect(Object.getPrototypeOf(aws)).toBe(Object.prototype);
    aws.Key = "changed";
    expect(await new Secret("AWS").get()).toEqual({ Key: "AKIA", Secret: "s3cr3t" });
  });

  it("getString returns the raw string, and JSON for non-strings", async () => {
    useConfig(SECRETS);
    expect(await new Secret("NUMBER_STRING").getString()).toBe("42");
    expect(await new Secret("JSON_OBJECT").getString()).toBe('{"x": 1, "y": "2"}');
    expect(await new Secret("TOML_NUMBER").getString()).toBe("7");
    expect(JSON.parse(await new Secret("AWS").getString())).toEqual({
      Key: "AKIA",
      Secret: "s3cr3t",
    });
  });

  it("throws SecretNotFoundError with Prefect's message for a missing local secret", async () => {
    useConfig(SECRETS);
    const error = await new Secret("MISSING").get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretNotFoundError);
    expect(error).toBeInstanceOf(HushError);
    expect(error).toMatchObject({
      code: "NOT_FOUND",
      name: "SecretNotFoundError",
      secretName: "MISSING",
      message:
        'Local Secret "MISSING" was not found. Looked only in the run context and [context.secrets]: local mode, as [cloud] use_local_secrets = true (the default); set it to false to ask the hush server. Config file read: ~/.hush/config.toml.',
    });
  });

  it.each([
    ["backend = 'local'\n[cloud]\nuse_local_secrets = false"],
    ["backend = 'server'\n[cloud]\nuse_local_secrets = false"],
    ["backend = 'cloud'\n[cloud]\nuse_local_secrets = true"],
    ["backend = 'cloud'"],
  ])("stays local without backend = cloud and use_local_secrets = false: %s", async (toml) => {
    // An endpoint nothing listens on: asking the server would fail differently.
    useConfig(`${toml}\n`, { HUSH__CLOUD__ENDPOINT: "http://127.0.0.1:9" });
    await expect(new Secret("MISSING").get()).rejects.toThrow(
      'Local Secret "MISSING" was not found.',
    );
    expect(await new Secret("MISSING").exists()).toBe(false);
  });

  it("reads the run context first, then the config", async () => {
    useConfig(SECRETS);
    await withContext({ secrets: { PLAIN: "from run", ONLY_RUN: '{"a":1}' } }, async () => {
      expect(await new Secret("PLAIN").get()).toBe("from run");
      expect(await new Secret("ONLY_RUN").get()).toEqual({ a: 1 });
      expect(await new Secret("TOML_NUMBER").get()).toBe(7);
    });
    expect(await new Secret("PLAIN").get()).toBe("hello");
    await expect(new Secret("ONLY_RUN").get()).rejects.toThrow(SecretNotFoundError);
  });

  it("keeps concurrent runs apart", async () => {
    useConfig(SECRETS);
    const run = (id: string) =>
      withContext({ secrets: { RUN_ID: id } }, async () => {
        const seen: unknown[] = [];
        for (let i = 0; i < 3; i++) {
          // Yield to the other runs between reads, so their steps interleave.
          await new Promise((resolve) => setImmediate(resolve));
          seen.push(await new Secret("RUN_ID").get());
        }
        return seen;
      });
    expect(await Promise.all([run("a"), run("b"), run("c")])).toEqual([
      ["a", "a", "a"],
      ["b", "b", "b"],
      ["c", "c", "c"],
    ]);
  });

  it("does not take names inherited from Object.prototype for secrets", async () => {
    useConfig(SECRETS);
    for (const name of ["toString", "constructor", "hasOwnProperty", "__proto__"]) {
      await expect(new Secret(name).get()).rejects.toThrow(`Local Secret "${name}" was not found.`);
      expect(await new Secret(name).exists()).toBe(false);
    }
  });

  it("exists() is true for run-context and config secrets and false, without throwing, otherwise", async () => {
    useConfig(SECRETS);
    expect(await new Secret("PLAIN").exists()).toBe(true);
    expect(await new Secret("AWS").exists()).toBe(true);
    expect(await new Secret("NOPE").exists()).toBe(false);
    await withContext({ secrets: { NOPE: "" } }, async () => {
      expect(await new Secret("NOPE").exists()).toBe(true);
    });
  });

  it("refuses an empty name with BAD_INPUT", async () => {
    for (const name of ["", undefined as unknown as string]) {
      const error = (() => {
        try {
          new Secret(name);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(SecretError);
      expect(error).toMatchObject({
        code: "BAD_INPUT",
        message: "A secret name must be provided.",
      });
    }
    useConfig(SECRETS);
    await expect(Secret.getMany(["PLAIN", ""])).rejects.toMatchObject({
      code: "BAD_INPUT",
      message: "A secret name must be provided.",
    });
  });

  it("accepts any other local key, as Prefect does", async () => {
    useConfig(`[context.secrets]\n"with space" = "ok"\n".dot" = "ok"\n`);
    expect(await new Secret("with space").get()).toBe("ok");
    expect(await new Secret(".dot").get()).toBe("ok");
  });

  it("getRedacted wraps the value so that it never prints", async () => {
    useConfig(SECRETS);
    const redacted = await new Secret("AWS").getRedacted();
    expect(redacted).toBeInstanceOf(Redacted);
    expect(`${redacted}`).toBe("<redacted>");
    expect(redacted.value()).toEqual({ Key: "AKIA", Secret: "s3cr3t" });
  });
});

describe("Secret.getMany (local)", () => {
  it("returns each value as get() would, keyed by name", async () => {
    useConfig(SECRETS);
    await withContext({ secrets: { RUN: "[1]" } }, async () => {
      expect(await Secret.getMany(["NUMBER_STRING", "AWS", "RUN", "PLAIN"])).toEqual({
        NUMBER_STRING: 42,
        AWS: { Key: "AKIA", Secret: "s3cr3t" },
        RUN: [1],
        PLAIN: "hello",
      });
    });
    expect(await Secret.getMany([])).toEqual({});
  });

  it("names the first missing secret", async () => {
    useConfig(SECRETS);
    await expect(Secret.getMany(["PLAIN", "GONE_1", "GONE_2"])).rejects.toMatchObject({
      code: "NOT_FOUND",
      secretName: "GONE_1",
      message: expect.stringMatching(/^Local Secret "GONE_1" was not found\. Looked only/),
    });
  });
});

describe("configuration", () => {
  it("applies HUSH__CONTEXT__SECRETS__… overrides without any code", async () => {
    useConfig("", {
      HUSH__CONTEXT__SECRETS__FROM_ENV: '{"k":"v"}',
      HUSH__CONTEXT__SECRETS__AWS__Key: "x",
    });
    expect(await new Secret("FROM_ENV").get()).toEqual({ k: "v" });
    expect(await new Secret("AWS").get()).toEqual({ Key: "x" });
  });

  it("decodes HUSH__CONTEXT__SECRETS__… and file values by one rule that loses nothing", async () => {
    useConfig(
      `[context.secrets]\nDB = '{"id": 12345678901234567890, "password": "$PW", "port": 5432}'\n` +
        `ID = "12345678901234567890"\n`,
      {
        PW: 'p"w',
        HUSH__CONTEXT__SECRETS__VERSION: "1.0",
        HUSH__CONTEXT__SECRETS__LIMIT: "1e3",
        HUSH__CONTEXT__SECRETS__PIN: "007",
        HUSH__CONTEXT__SECRETS__PORT: "5432",
        HUSH__CONTEXT__SECRETS__ACCOUNT: '{"id": 12345678901234567890}',
      },
    );
    const got = await Secret.getMany(["DB", "ID", "VERSION", "LIMIT", "PIN", "PORT", "ACCOUNT"]);
    expect(got).toEqual({
      DB: '{"id": 12345678901234567890, "password": "p\\"w", "port": 5432}',
      ID: "12345678901234567890",
      VERSION: "1.0",
      LIMIT: "1e3",
      PIN: "007",
      PORT: 5432,
      ACCOUNT: '{"id": 12345678901234567890}',
    });
  });

  it("loads the config once and keeps it until configure() replaces it", async () => {
    const { file } = useConfig(`[context.secrets]\nA = "first"\n`);
    expect(await new Secret("A").get()).toBe("first");
    writeFileSync(file, `[context.secrets]\nA = "second"\n`);
    expect(await new Secret("A").get()).toBe("first");
    configure({ userConfigPath: file, env: {} });
    expect(await new Secret("A").get()).toBe("second");
  });

  it("uses an explicit user config path, and lets config errors through as ConfigError", async () => {
    const dir = testDir({ "hush.toml": `[context.secrets]\nB = "b"\n`, "bad.toml": "[context\n" });
    configure({ userConfigPath: `${dir}/hush.toml`, env: {}, homeDir: dir });
    expect(await new Secret("B").get()).toBe("b");
    configure({ userConfigPath: `${dir}/bad.toml`, env: {}, homeDir: dir });
    await expect(new Secret("B").get()).rejects.toBeInstanceOf(ConfigError);
    resetConfiguration();
  });

  it("refuses a negative cacheTtlMs", () => {
    expect(() => configure({ cacheTtlMs: -1 })).toThrow(/cacheTtlMs must be/);
  });
});
