import { describe, expect, it } from "vitest";
import { load, loadError } from "../test/helpers.js";
import { ConfigErrorCode } from "./index.js";

describe("[cloud] cache and fallback settings", () => {
  it("are optional, and absent unless set", () => {
    const { cloud } = load(undefined).config;
    for (const key of [
      "cache_ttl",
      "stale_ttl",
      "fallback_file",
      "fallback_key",
      "fallback_max_age",
    ]) {
      expect(cloud[key]).toBeUndefined();
    }
  });

  it("take numbers of seconds from the file, and cast HUSH__ overrides", () => {
    const { config } = load("[cloud]\ncache_ttl = 60\nstale_ttl = 0.5\n", {
      HUSH__CLOUD__FALLBACK_MAX_AGE: "86400",
    });
    expect(config.cloud).toMatchObject({ cache_ttl: 60, stale_ttl: 0.5, fallback_max_age: 86400 });
  });

  it('never cast a string from the file: cache_ttl = "300" is an error saying how to write it', () => {
    const error = loadError('[cloud]\ncache_ttl = "300"\n');
    expect(error.code).toBe(ConfigErrorCode.INVALID_VALUE);
    expect(error.message).toBe(
      '~/.hush/config.toml:2:13: cloud.cache_ttl must be a number of seconds, 0 or more, not "300". Write cache_ttl = 300.',
    );
    expect(loadError("[cloud]\nstale_ttl = -1\n").message).toContain(
      "not -1. Write stale_ttl = 300 for five minutes.",
    );
  });

  it("keep fallback_file and fallback_key as text, and never quote the key", () => {
    const { config, isSecret } = load(undefined, {
      HUSH__CLOUD__FALLBACK_FILE: "12345",
      HUSH__CLOUD__FALLBACK_KEY: "00001234",
    });
    expect(config.cloud).toMatchObject({ fallback_file: "12345", fallback_key: "00001234" });
    expect(isSecret("cloud.fallback_key")).toBe(true);
    const error = loadError("[cloud]\nfallback_key = 123456789\n");
    expect(error.message).toContain("cloud.fallback_key must be a string, not a number.");
    expect(error.message).not.toContain("123456789");
  });
});
