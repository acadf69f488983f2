import { afterEach, describe, expect, it, vi } from "vitest";
import { configError, load, testDir } from "../test/helpers.js";
import { ConfigErrorCode, loadConfigWithOrigins } from "./index.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("unknown keys in the sections hush owns", () => {
  it("lists a typo in [cloud] with a did-you-mean, located in the file", () => {
    const { unknownKeys, file } = load(
      '[cloud]\nendpoint = "http://h"\nuse_local_secret = false\n',
    );
    expect(unknownKeys).toEqual([
      {
        key: "cloud.use_local_secret",
        origin: { kind: "file", file, line: 3, column: 20 },
        suggestion: "cloud.use_local_secrets",
        message:
          "~/.hush/config.toml:3:20: unknown key cloud.use_local_secret in [cloud]; did you mean cloud.use_local_secrets? hush ignores it.",
      },
    ]);
  });

  it("lists [context.secret] next to [context.secrets], and top-level typos", () => {
    const { unknownKeys } = load(
      'backnd = "local"\n[context.secret]\nSTRIPE_KEY = "x"\n[clod]\nendpoint = "x"\n',
    );
    expect(unknownKeys.map((u) => [u.key, u.suggestion])).toEqual([
      ["backnd", "backend"],
      ["context.secret", "context.secrets"],
      ["clod", "cloud"],
    ]);
    expect(unknownKeys[1]?.message).toBe(
      "~/.hush/config.toml:2:1: unknown key context.secret in [context]; did you mean context.secrets? hush ignores it.",
    );
  });

  it("names what the section reads when nothing is close", () => {
    const { unknownKeys } = load("[cloud]\ntimeout_seconds = 3\n");
    expect(unknownKeys[0]?.suggestion).toBeUndefined();
    expect(unknownKeys[0]?.message).toContain(
      "unknown key cloud.timeout_seconds in [cloud]; hush ignores it (it reads only use_local_secrets, endpoint, api_key,",
    );
  });

  it("keeps the user's own sections quiet, since ${section.key} may refer to them", () => {
    const { unknownKeys, config } = load('[db]\nurl = "x"\n[t]\nv = "${db.url}"\n');
    expect(unknownKeys).toEqual([]);
    expect(config.t).toEqual({ v: "x" });
  });

  it("reports an environment override by its variable", () => {
    const { unknownKeys } = load(undefined, { HUSH__CLOUD__USE_LOCAL_SECRET: "false" });
    expect(unknownKeys).toEqual([
      expect.objectContaining({
        key: "cloud.use_local_secret",
        origin: { kind: "env", variable: "HUSH__CLOUD__USE_LOCAL_SECRET" },
        message:
          "HUSH__CLOUD__USE_LOCAL_SECRET: unknown key cloud.use_local_secret in [cloud]; did you mean cloud.use_local_secrets? hush ignores it.",
      }),
    ]);
  });

  it("knows every key hush reads", () => {
    const toml =
      'backend = "cloud"\n[cloud]\nuse_local_secrets = true\nendpoint = "http://h"\napi_key = ""\n' +
      'cache_ttl = 60\nstale_ttl = 600\nfallback_file = "~/f"\nfallback_key = "k"\nfallback_max_age = 0\n' +
      "secret_cache_ttl_ms = 0\n[context.secrets]\nA = 1\n";
    expect(load(toml).unknownKeys).toEqual([]);
  });

  it("warns once per process on stderr, through process.emitWarning", () => {
    const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const home = testDir({ ".hush/config.toml": '[cloud]\nendpont = "http://h"\n' });
    loadConfigWithOrigins({ homeDir: home, env: {} });
    loadConfigWithOrigins({ homeDir: home, env: {} });
    expect(emit).toHaveBeenCalledTimes(1);
    expect(emit.mock.calls[0]?.[0]).toContain("did you mean cloud.endpoint?");
    expect(emit.mock.calls[0]?.[1]).toEqual({
      type: "HushConfigWarning",
      code: "HUSH_UNKNOWN_CONFIG_KEY",
    });
  });

  it("does not warn when told not to (a program that shows them itself)", () => {
    const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const home = testDir({ ".hush/config.toml": '[cloud]\nendpoint_url = "http://h"\n' });
    const loaded = loadConfigWithOrigins({ homeDir: home, env: {}, warnUnknownKeys: false });
    expect(loaded.unknownKeys).toHaveLength(1);
    expect(emit).not.toHaveBeenCalled();
  });

  it("is a ConfigError with strict: true, located like any other", () => {
    const home = testDir({ ".hush/config.toml": "[cloud]\n\nuse_local_secret = false\n" });
    const error = configError(() =>
      loadConfigWithOrigins({ homeDir: home, env: {}, strict: true }),
    );
    expect(error.code).toBe(ConfigErrorCode.UNKNOWN_KEY);
    expect(error).toMatchObject({ key: "cloud.use_local_secret", line: 3, column: 20 });
    expect(error.message).toBe(
      "~/.hush/config.toml:3:20: unknown key cloud.use_local_secret in [cloud]; did you mean cloud.use_local_secrets? hush ignores it.",
    );
  });
});
