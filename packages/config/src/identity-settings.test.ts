import { describe, expect, it } from "vitest";
import { load, loadError } from "../test/helpers.js";
import { ConfigErrorCode } from "./index.js";

describe("[cloud] workload identity settings", () => {
  it("are unset but for audience, which is hush", () => {
    const { cloud } = load(undefined).config;
    expect(cloud.identity_token_file).toBeUndefined();
    expect(cloud.identity).toBeUndefined();
    expect(cloud.tenant).toBeUndefined();
    expect(cloud.audience).toBe("hush");
  });

  it("read from the file, with ~ as the home folder", () => {
    const { config, home } = load(
      '[cloud]\nidentity_token_file = "~/token"\naudience = "hush-prod"\ntenant = "acme"\n',
    );
    expect(config.cloud).toMatchObject({
      identity_token_file: `${home}/token`,
      audience: "hush-prod",
      tenant: "acme",
    });
  });

  it("are overridden by HUSH__CLOUD__* variables, kept as text", () => {
    const { config, origins } = load(undefined, {
      HUSH__CLOUD__IDENTITY_TOKEN_FILE: "/var/run/secrets/hush/token",
      HUSH__CLOUD__IDENTITY: "github-actions",
      HUSH__CLOUD__AUDIENCE: "12345",
    });
    expect(config.cloud).toMatchObject({
      identity_token_file: "/var/run/secrets/hush/token",
      identity: "github-actions",
      audience: "12345",
    });
    expect(origins.get("cloud.identity_token_file")).toEqual({
      kind: "env",
      variable: "HUSH__CLOUD__IDENTITY_TOKEN_FILE",
    });
  });

  it('refuse an identity other than "github-actions", naming the choice', () => {
    const error = loadError('[cloud]\nidentity = "gitlab"\n');
    expect(error.code).toBe(ConfigErrorCode.INVALID_VALUE);
    expect(error.message).toBe(
      '~/.hush/config.toml:2:12: cloud.identity must be "github-actions", not "gitlab". Write identity = "github-actions".',
    );
  });

  it("suggest the key when it is misspelt", () => {
    const { unknownKeys } = load('[cloud]\nidentity_token_fil = "/t"\n');
    expect(unknownKeys[0]?.suggestion).toBe("cloud.identity_token_file");
  });
});
