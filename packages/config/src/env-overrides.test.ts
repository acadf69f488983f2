import { describe, expect, it } from "vitest";
import { load, loadError } from "../test/helpers.js";
import { ConfigErrorCode } from "./index.js";

describe("HUSH__ environment overrides", () => {
  it("set section keys, lower-cased, cast, and create the tables they need", () => {
    const { config, origins } = load(undefined, {
      HUSH__CLOUD__USE_LOCAL_SECRETS: "FALSE",
      HUSH__CLOUD__SECRET_CACHE_TTL_MS: "60000",
      HUSH__ENV_VARS__TWICE__NESTED__NEW_KEY: "TEST",
    });
    expect(config.cloud.use_local_secrets).toBe(false);
    expect(config.cloud.secret_cache_ttl_ms).toBe(60000);
    expect(config.env_vars).toEqual({ twice: { nested: { new_key: "TEST" } } });
    expect(origins.get("env_vars.twice.nested.new_key")).toEqual({
      kind: "env",
      variable: "HUSH__ENV_VARS__TWICE__NESTED__NEW_KEY",
    });
  });

  it("set a top-level key with a single part", () => {
    expect(load(undefined, { HUSH__BACKEND: "server" }).config.backend).toBe("server");
  });

  it("keep the case of everything after CONTEXT__SECRETS, in any case", () => {
    const { config, origins } = load(undefined, {
      HUSH__CONTEXT__SECRETS__AWS__Key: "id",
      HUSH__context__Secrets__mY_spECIal_kEY: "42",
      HUSH__CONTEXT__strange_VAlUE: "false",
    });
    expect(config.context.secrets).toEqual({ AWS: { Key: "id" }, mY_spECIal_kEY: 42 });
    expect(config.context.strange_value).toBe(false);
    expect(origins.get("context.secrets.AWS.Key")).toEqual({
      kind: "env",
      variable: "HUSH__CONTEXT__SECRETS__AWS__Key",
    });
  });

  it("do not treat HUSH__USER_CONFIG_PATH or other prefixes as overrides", () => {
    const { config } = load(undefined, {
      HUSH__USER_CONFIG_PATH: "",
      HUSH_CLOUD__ENDPOINT: "https://x.example",
      hush__backend: "local",
    });
    expect(config).not.toHaveProperty("user_config_path");
    expect(config.cloud.endpoint).toBe("http://127.0.0.1:4200");
    expect(config.backend).toBe("cloud");
  });

  it("keep text keys as text: an all-digit api_key is not cast to a number", () => {
    const { config } = load(undefined, { HUSH__CLOUD__API_KEY: "12345" });
    expect(config.cloud.api_key).toBe("12345");
  });

  it("replace a table with a JSON object, and deeper variables add to it in any order", () => {
    const { config, origins } = load('[context.secrets]\nFROM_FILE = "f"\n', {
      HUSH__CONTEXT__SECRETS__AWS_CREDENTIALS__REGION: "eu",
      HUSH__CONTEXT__SECRETS__AWS_CREDENTIALS: '{"ACCESS_KEY": "abcdef"}',
    });
    expect(config.context.secrets).toEqual({
      FROM_FILE: "f",
      AWS_CREDENTIALS: { ACCESS_KEY: "abcdef", REGION: "eu" },
    });
    expect(origins.get("context.secrets.AWS_CREDENTIALS.ACCESS_KEY")).toEqual({
      kind: "env",
      variable: "HUSH__CONTEXT__SECRETS__AWS_CREDENTIALS",
    });
    expect(origins.get("context.secrets.AWS_CREDENTIALS.REGION")).toEqual({
      kind: "env",
      variable: "HUSH__CONTEXT__SECRETS__AWS_CREDENTIALS__REGION",
    });
  });

  it("apply shallower variables first, whatever the case of their names", () => {
    // By name alone, "HUSH__CONTEXT…" sorts before "HUSH__context…" and the JSON would win.
    const { config } = load(undefined, {
      HUSH__CONTEXT__SECRETS__AWS__REGION: "eu",
      HUSH__context__secrets__AWS: '{"KEY": "k"}',
    });
    expect(config.context.secrets).toEqual({ AWS: { KEY: "k", REGION: "eu" } });
  });

  it("keep the defaults a JSON object leaves out of the table it replaces", () => {
    const { config, origins } = load('[cloud]\napi_key = "from-file"\n', {
      HUSH__CLOUD: '{"endpoint": "https://env.example"}',
      HUSH__CONTEXT: '{"flow_id": 1}',
    });
    // The JSON replaces the file's [cloud] (its api_key with it); the built-in defaults stay.
    expect(config.cloud).toEqual({
      use_local_secrets: true,
      endpoint: "https://env.example",
      api_key: "",
      audience: "hush",
      secret_cache_ttl_ms: 0,
    });
    expect(config.context).toEqual({ flow_id: 1, secrets: {} });
    expect(origins.get("cloud.endpoint")).toEqual({ kind: "env", variable: "HUSH__CLOUD" });
    expect(origins.get("cloud.api_key")).toEqual({ kind: "default" });
    expect(origins.get("context.secrets")).toEqual({ kind: "default" });
  });

  it("name null from a JSON value as null", () => {
    const error = loadError(undefined, { HUSH__CLOUD: '{"use_local_secrets": null}' });
    expect(error.message).toContain("cloud.use_local_secrets must be true or false, not null.");
  });

  it("cannot replace a table with a single value", () => {
    const error = loadError(undefined, { HUSH__CLOUD: "1" });
    expect(error.code).toBe(ConfigErrorCode.ENV_OVERRIDE_CONFLICT);
    expect(error.variable).toBe("HUSH__CLOUD");
    expect(error.key).toBe("cloud");
    expect(error.message).toBe(
      "HUSH__CLOUD cannot replace the table cloud with a single value. Set one of its keys instead, such as HUSH__CLOUD__<KEY>, or give a JSON object.",
    );
  });

  it("cannot set a key inside a value that is not a table", () => {
    const error = loadError(undefined, { HUSH__BACKEND__X: "1" });
    expect(error.code).toBe(ConfigErrorCode.ENV_OVERRIDE_CONFLICT);
    expect(error.key).toBe("backend");
    expect(error.message).toBe(
      "HUSH__BACKEND__X cannot be placed: backend is a string, not a table, so it has no key x. Remove HUSH__BACKEND__X, or set HUSH__BACKEND instead.",
    );
  });

  it("reject a name with an empty part", () => {
    const error = loadError(undefined, { HUSH__CLOUD____ENDPOINT: "x" });
    expect(error.code).toBe(ConfigErrorCode.INVALID_ENV_OVERRIDE);
    expect(error.variable).toBe("HUSH__CLOUD____ENDPOINT");
  });

  it("keep real newlines and backslash sequences exactly", () => {
    const { config } = load(undefined, {
      HUSH__ENV_VARS__ESCAPED: "line 1\nline 2\rand 3\tand 4",
      HUSH__ENV_VARS__LITERAL: String.raw`line 1\nline 2`,
    });
    expect(config.env_vars).toEqual({
      escaped: "line 1\nline 2\rand 3\tand 4",
      literal: String.raw`line 1\nline 2`,
    });
  });
});
