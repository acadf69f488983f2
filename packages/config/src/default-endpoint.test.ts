import { chmodSync } from "node:fs";
import { join } from "node:path";
import { testDir } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { loadConfigWithOrigins } from "./index.js";

const SAVED =
  'default_endpoint = "https://saved.example"\n\n["https://saved.example"]\napi_key = "hush_x"\n';

function endpointOf(files: Record<string, string>, env: Record<string, string> = {}) {
  const home = testDir(files);
  // hush login writes auth.toml private; one others can change is not trusted (see below).
  if (files[".hush/auth.toml"] !== undefined) chmodSync(join(home, ".hush", "auth.toml"), 0o600);
  const loaded = loadConfigWithOrigins({ homeDir: home, env });
  return {
    endpoint: loaded.config.cloud.endpoint,
    origin: loaded.origins.get("cloud.endpoint"),
    home,
  };
}

describe("the default server `hush login` saved in auth.toml", () => {
  it("is the endpoint when neither the file nor the environment names one", () => {
    for (const config of [undefined, "[cloud]\nuse_local_secrets = false\n"]) {
      const files: Record<string, string> = { ".hush/auth.toml": SAVED };
      if (config !== undefined) files[".hush/config.toml"] = config;
      const { endpoint, origin, home } = endpointOf(files);
      expect(endpoint).toBe("https://saved.example");
      expect(origin).toEqual({ kind: "login", file: join(home, ".hush", "auth.toml") });
    }
  });

  it("is not taken from an auth.toml other users can change", () => {
    const home = testDir({ ".hush/auth.toml": SAVED });
    chmodSync(join(home, ".hush", "auth.toml"), 0o666);
    const loaded = loadConfigWithOrigins({ homeDir: home, env: {} });
    expect(loaded.config.cloud.endpoint).toBe("http://127.0.0.1:4200");
  });

  it("ranks below the file and the environment", () => {
    const file = endpointOf({
      ".hush/auth.toml": SAVED,
      ".hush/config.toml": '[cloud]\nendpoint = "https://file.example"\n',
    });
    expect(file.endpoint).toBe("https://file.example");
    expect(file.origin?.kind).toBe("file");
    const env = endpointOf(
      { ".hush/auth.toml": SAVED },
      { HUSH__CLOUD__ENDPOINT: "https://env.example" },
    );
    expect(env).toMatchObject({ endpoint: "https://env.example", origin: { kind: "env" } });
  });

  it("is ignored when the file is broken or holds no URL (reading its token reports the file)", () => {
    for (const text of ["not toml [", 'default_endpoint = "ftp://x"\n', "default_endpoint = 3\n"]) {
      const { endpoint, origin } = endpointOf({ ".hush/auth.toml": text });
      expect(endpoint).toBe("http://127.0.0.1:4200");
      expect(origin).toEqual({ kind: "default" });
    }
  });
});
