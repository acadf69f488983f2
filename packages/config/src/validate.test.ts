import { describe, expect, it } from "vitest";
import { load, loadError } from "../test/helpers.js";
import { ConfigErrorCode } from "./index.js";

describe("validation of known keys", () => {
  it("accepts every backend and rejects others, suggesting the right spelling", () => {
    for (const backend of ["cloud", "server", "local"]) {
      expect(load(`backend = "${backend}"\n`).config.backend).toBe(backend);
    }
    const error = loadError('backend = "Local"\n');
    expect(error.code).toBe(ConfigErrorCode.INVALID_VALUE);
    expect(error).toMatchObject({ key: "backend", line: 1, column: 11 });
    expect(error.message).toBe(
      '~/.hush/config.toml:1:11: backend must be "cloud", "server" or "local", not "Local". Write backend = "local".',
    );
  });

  it("wants cloud.use_local_secrets to be a boolean, and says how to write it", () => {
    const error = loadError('[cloud]\n\nuse_local_secrets = "no"\n');
    expect(error.code).toBe(ConfigErrorCode.INVALID_VALUE);
    expect(error.message).toBe(
      '~/.hush/config.toml:3:21: cloud.use_local_secrets must be true or false, not "no". Write use_local_secrets = false.',
    );
    expect(loadError("[cloud]\nuse_local_secrets = 2\n").message).toContain(
      "not 2. Write use_local_secrets = true, or false to fetch secrets from the server.",
    );
  });

  it("says how to fix an environment override in its own terms", () => {
    const error = loadError(undefined, { HUSH__CLOUD__USE_LOCAL_SECRETS: "yes" });
    expect(error.variable).toBe("HUSH__CLOUD__USE_LOCAL_SECRETS");
    expect(error.message).toBe(
      'HUSH__CLOUD__USE_LOCAL_SECRETS: cloud.use_local_secrets must be true or false, not "yes". Set HUSH__CLOUD__USE_LOCAL_SECRETS=true.',
    );
    const inJson = loadError(undefined, { HUSH__CLOUD: '{"use_local_secrets": "yes"}' });
    expect(inJson.message).toContain("Fix cloud.use_local_secrets in the JSON of HUSH__CLOUD.");
  });

  it("wants cloud.endpoint to be an http(s) URL", () => {
    expect(
      load('[cloud]\nendpoint = "https://hush.example.com:8443/base"\n').config.cloud.endpoint,
    ).toBe("https://hush.example.com:8443/base");
    const bare = loadError('[cloud]\nendpoint = "localhost:4200"\n');
    expect(bare.key).toBe("cloud.endpoint");
    expect(bare.message).toContain(
      'cloud.endpoint must be an http:// or https:// URL, not "localhost:4200". Write endpoint = "http://localhost:4200".',
    );
    expect(loadError('[cloud]\nendpoint = "ftp://h"\n').code).toBe(ConfigErrorCode.INVALID_VALUE);
    const withPassword = loadError('[cloud]\nendpoint = "ftp://me:pa55@h.example/x"\n');
    expect(withPassword.message).toContain('not "ftp://…@h.example/x".');
    expect(withPassword.message).not.toContain("pa55");
    expect(loadError('[cloud]\nendpoint = "me:pa55@h:80"\n').message).toContain(
      'Write endpoint = "http://…@h:80".',
    );
    for (const typo of ["http//me:pa55@h.example", "https://me:pa/55@h x", "https://me:p@55@h x"]) {
      const error = loadError(`[cloud]\nendpoint = "${typo}"\n`);
      expect(error.message).toMatch(/not "(https:\/\/)?…@h/);
      expect(error.message).not.toMatch(/pa55|pa\/|p@/);
    }
    expect(loadError("[cloud]\nendpoint = 4200\n").message).toContain("not 4200.");
  });

  it("wants cloud.api_key to be a string", () => {
    const error = loadError("[cloud]\napi_key = 12345\n");
    expect(error.key).toBe("cloud.api_key");
    expect(error.message).toBe(
      '~/.hush/config.toml:2:11: cloud.api_key must be a string, not a number. Write api_key = "…", in quotes.',
    );
  });

  it("wants cloud.secret_cache_ttl_ms to be a whole number, 0 or more", () => {
    expect(load("[cloud]\nsecret_cache_ttl_ms = 60_000\n").config.cloud.secret_cache_ttl_ms).toBe(
      60000,
    );
    for (const bad of ["-1", "1.5", "true"]) {
      const error = loadError(`[cloud]\nsecret_cache_ttl_ms = ${bad}\n`);
      expect(error.key).toBe("cloud.secret_cache_ttl_ms");
      expect(error.message).toContain(
        `must be a whole number of milliseconds, 0 or more, not ${bad}. Write secret_cache_ttl_ms = 60000 for a minute, or 0 to turn caching off.`,
      );
    }
    expect(loadError('[cloud]\nsecret_cache_ttl_ms = "500"\n').message).toContain(
      'not "500". Write secret_cache_ttl_ms = 500.',
    );
  });

  it("wants cloud, context and context.secrets to be tables", () => {
    expect(loadError('cloud = "x"\n')).toMatchObject({ key: "cloud", line: 1, column: 9 });
    expect(loadError("context = 1\n").key).toBe("context");
    const secrets = loadError("[context]\nsecrets = [1]\n");
    expect(secrets.key).toBe("context.secrets");
    expect(secrets.message).toContain("context.secrets must be a table of secrets, not an array.");
  });

  it("checks values after interpolation", () => {
    const { config } = load(
      '[cloud]\nuse_local_secrets = "${t.off}"\nsecret_cache_ttl_ms = "${t.ttl}"\n[t]\noff = false\nttl = 10\n',
    );
    expect(config.cloud).toMatchObject({ use_local_secrets: false, secret_cache_ttl_ms: 10 });
    // Text from the environment stays text inside a file value.
    const error = loadError('[cloud]\nsecret_cache_ttl_ms = "$TTL"\n', { TTL: "10" });
    expect(error.message).toContain('not "10". Write secret_cache_ttl_ms = 10.');
  });
});
