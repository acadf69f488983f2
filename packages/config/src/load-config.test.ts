import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { configError, load, loadError, testDir } from "../test/helpers.js";
import { ConfigErrorCode, loadConfig, loadConfigWithOrigins } from "./index.js";

const DEFAULTS = {
  backend: "cloud",
  cloud: {
    use_local_secrets: true,
    endpoint: "http://127.0.0.1:4200",
    api_key: "",
    audience: "hush",
    secret_cache_ttl_ms: 0,
  },
  context: { secrets: {} },
};

describe("loadConfig: where the user file is", () => {
  it("uses only the built-in defaults when ~/.hush/config.toml does not exist", () => {
    const { config, origins, userConfigFound, userConfigPath, home } = load(undefined);
    expect(config).toEqual(DEFAULTS);
    expect(userConfigFound).toBe(false);
    expect(userConfigPath).toBe(join(home, ".hush", "config.toml"));
    expect(Object.fromEntries(origins)).toEqual({
      backend: { kind: "default" },
      "cloud.use_local_secrets": { kind: "default" },
      "cloud.endpoint": { kind: "default" },
      "cloud.api_key": { kind: "default" },
      "cloud.audience": { kind: "default" },
      "cloud.secret_cache_ttl_ms": { kind: "default" },
      "context.secrets": { kind: "default" },
    });
  });

  it("reads process.env and the OS home folder when no options are given", () => {
    // A child process, so that neither the real home nor this process's environment is used.
    const home = testDir({ ".hush/config.toml": '[cloud]\nendpoint = "https://file.example"\n' });
    const program =
      'import { loadConfig } from "@hush/config"; const c = loadConfig(); ' +
      "console.log(JSON.stringify([c.backend, c.cloud.endpoint, c.t]));";
    const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", "--conditions=@hush/source", "--input-type=module", "-e", program],
      {
        cwd: packageDir,
        encoding: "utf8",
        env: {
          PATH: process.env.PATH ?? "",
          HOME: home,
          USERPROFILE: home,
          HUSH__BACKEND: "local",
          HUSH__T__A: "$FROM_ENV",
          FROM_ENV: "v",
        },
      },
    );
    expect(child.stderr).toBe("");
    expect(JSON.parse(child.stdout)).toEqual(["local", "https://file.example", { a: "v" }]);
  }, 30_000);

  it("reads <home>/.hush/config.toml by default", () => {
    const { config, userConfigFound } = load('backend = "local"\n');
    expect(config.backend).toBe("local");
    expect(userConfigFound).toBe(true);
  });

  it("prefers the userConfigPath option to HUSH__USER_CONFIG_PATH and the default file", () => {
    const home = testDir({
      ".hush/config.toml": 'backend = "cloud"\n',
      "by-env.toml": 'backend = "server"\n',
      "by-option.toml": 'backend = "local"\n',
    });
    const env = { HUSH__USER_CONFIG_PATH: join(home, "by-env.toml") };
    const options = { homeDir: home, env };
    expect(loadConfig({ ...options, userConfigPath: join(home, "by-option.toml") }).backend).toBe(
      "local",
    );
    expect(loadConfig(options).backend).toBe("server");
  });

  it("expands ~ and $VAR in HUSH__USER_CONFIG_PATH", () => {
    const home = testDir({ "configs/hush.toml": 'backend = "local"\n' });
    const withTilde = { HUSH__USER_CONFIG_PATH: "~/configs/hush.toml" };
    expect(loadConfig({ homeDir: home, env: withTilde }).backend).toBe("local");
    const withVar = { HUSH__USER_CONFIG_PATH: "$DIR/hush.toml", DIR: join(home, "configs") };
    const loaded = loadConfigWithOrigins({ homeDir: "/nowhere", env: withVar });
    expect(loaded.config.backend).toBe("local");
    expect(loaded.userConfigPath).toBe(join(home, "configs", "hush.toml"));
  });

  it("rejects a ${VAR} in HUSH__USER_CONFIG_PATH that is not set", () => {
    const error = configError(() =>
      loadConfig({ homeDir: testDir(), env: { HUSH__USER_CONFIG_PATH: "${NOPE}/c.toml" } }),
    );
    expect(error.code).toBe(ConfigErrorCode.UNKNOWN_REFERENCE);
    expect(error.variable).toBe("HUSH__USER_CONFIG_PATH");
    expect(error.message).toContain("${NOPE}");
  });

  it("fails when the file named by the option does not exist", () => {
    const home = testDir();
    const missing = join(home, "missing.toml");
    const error = configError(() =>
      loadConfig({ homeDir: home, env: {}, userConfigPath: missing }),
    );
    expect(error.code).toBe(ConfigErrorCode.FILE_NOT_FOUND);
    expect(error.file).toBe(missing);
    expect(error.message).toBe(
      "The config file ~/missing.toml, named by userConfigPath, does not exist. Create it, or pass the path of an existing file.",
    );
  });

  it("fails when the file named by HUSH__USER_CONFIG_PATH does not exist", () => {
    const home = testDir();
    const env = { HUSH__USER_CONFIG_PATH: "~/missing.toml" };
    const error = configError(() => loadConfig({ homeDir: home, env }));
    expect(error.code).toBe(ConfigErrorCode.FILE_NOT_FOUND);
    expect(error.message).toContain("named by HUSH__USER_CONFIG_PATH");
    expect(error.message).toContain("unset HUSH__USER_CONFIG_PATH");
  });

  it("ignores an empty HUSH__USER_CONFIG_PATH", () => {
    const home = testDir({ ".hush/config.toml": 'backend = "local"\n' });
    expect(loadConfig({ homeDir: home, env: { HUSH__USER_CONFIG_PATH: "" } }).backend).toBe(
      "local",
    );
  });

  it("reports a user file that cannot be read", () => {
    const home = testDir();
    mkdirSync(join(home, ".hush", "config.toml"), { recursive: true });
    const error = configError(() => loadConfig({ homeDir: home, env: {} }));
    expect(error.code).toBe(ConfigErrorCode.FILE_UNREADABLE);
    expect(error.message).toContain("~/.hush/config.toml cannot be read (it is a folder)");
  });
});

describe("loadConfig: layers", () => {
  it("lets the file override defaults key by key and keeps the defaults it leaves out", () => {
    const { config, origins, file } = load(
      ["[cloud]", 'endpoint = "https://hush.example.com"', ""].join("\n"),
    );
    expect(config.cloud).toEqual({ ...DEFAULTS.cloud, endpoint: "https://hush.example.com" });
    expect(origins.get("cloud.endpoint")).toEqual({ kind: "file", file, line: 2, column: 12 });
    expect(origins.get("cloud.api_key")).toEqual({ kind: "default" });
  });

  it("lets environment overrides win over the file", () => {
    const { config, origins } = load('[cloud]\nendpoint = "https://file.example"\n', {
      HUSH__CLOUD__ENDPOINT: "https://env.example",
    });
    expect(config.cloud.endpoint).toBe("https://env.example");
    expect(origins.get("cloud.endpoint")).toEqual({
      kind: "env",
      variable: "HUSH__CLOUD__ENDPOINT",
    });
  });

  it("keeps unknown sections and keys", () => {
    const { config } = load('[flows]\ncheckpointing = true\n[cloud]\nextra = "x"\n');
    expect(config.flows).toEqual({ checkpointing: true });
    expect(config.cloud.extra).toBe("x");
  });

  it("reads local secrets from [context.secrets], nested tables included", () => {
    const { config, origins, file } = load(
      ["[context.secrets]", 'API_TOKEN = "t0k"', 'AWS = { Key = "id", Secret = "s" }', ""].join(
        "\n",
      ),
    );
    expect(config.context.secrets).toEqual({ API_TOKEN: "t0k", AWS: { Key: "id", Secret: "s" } });
    expect(origins.get("context.secrets.AWS.Key")).toEqual({
      kind: "file",
      file,
      line: 3,
      column: 7,
    });
  });

  it("loads a file with 1,000 secrets, each with its own line", () => {
    const lines = ["[context.secrets]"];
    for (let i = 0; i < 1000; i++) lines.push(`SECRET_${i} = "value-${i}"`);
    const { config, origins } = load(`${lines.join("\n")}\n`);
    expect(Object.keys(config.context.secrets)).toHaveLength(1000);
    expect(config.context.secrets.SECRET_999).toBe("value-999");
    expect(origins.get("context.secrets.SECRET_999")).toMatchObject({ line: 1001, column: 14 });
  });

  it("skips a byte-order mark at the start of the file, keeping positions right", () => {
    const { config, origins, file } = load('\uFEFFbackend = "local"\n');
    expect(config.backend).toBe("local");
    expect(origins.get("backend")).toEqual({ kind: "file", file, line: 1, column: 11 });
  });
});

describe("loadConfig: the result", () => {
  it("is plain objects and arrays, with TOML dates as ISO strings", () => {
    const { config } = load(
      [
        "[dates]",
        "day = 1979-05-27",
        "at = 1979-05-27T07:32:00Z",
        "local = 1979-05-27T07:32:00",
        "time = 07:32:00",
        "list = [1979-05-27, { x = 1 }]",
        "",
      ].join("\n"),
    );
    expect(config.dates).toEqual({
      day: "1979-05-27",
      at: "1979-05-27T07:32:00.000Z",
      local: "1979-05-27T07:32:00.000",
      time: "07:32:00.000",
      list: ["1979-05-27", { x: 1 }],
    });
    const dates = config.dates as { list: [string, object] };
    for (const table of [config, config.cloud, config.context.secrets, dates, dates.list[1]]) {
      expect(Object.getPrototypeOf(table)).toBe(Object.prototype);
    }
    expect(Array.isArray(dates.list)).toBe(true);
  });

  it("is deep-frozen", () => {
    const { config } = load('[context.secrets]\nAWS = { Key = "id" }\nlist = [[1]]\n');
    const secrets = config.context.secrets as { AWS: { Key: string }; list: number[][] };
    expect(() => {
      (config as { backend: string }).backend = "local";
    }).toThrow(TypeError);
    expect(() => {
      secrets.AWS.Key = "other";
    }).toThrow(TypeError);
    expect(() => secrets.list[0]?.push(2)).toThrow(TypeError);
    expect(Object.isFrozen(config.cloud)).toBe(true);
  });

  it("keeps a key named __proto__ as data, without touching any prototype", () => {
    const { config } = load('[context.secrets]\n"__proto__" = "x"\n', {
      HUSH__CONTEXT__SECRETS__constructor: "y",
    });
    const secrets = config.context.secrets;
    expect(Object.hasOwn(secrets, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(secrets, "__proto__")?.value).toBe("x");
    expect(secrets.constructor).toBe("y");
    expect(Object.getPrototypeOf(secrets)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("tells which keys to mask: secrets, and keys a reference copied a secret into", () => {
    const { isSecret } = load(
      [
        "[t]",
        'url = "db://${context.secrets.PW}@h"',
        'list = [1, "${context.secrets.PW}"]',
        'whole = "${context}"',
        'plain = "${cloud.endpoint}"',
        "[context.secrets]",
        'PW = "pw"',
        "",
      ].join("\n"),
    );
    for (const key of ["cloud.api_key", "context.secrets", "context.secrets.PW", "t.url"]) {
      expect(isSecret(key), key).toBe(true);
    }
    for (const key of ["t.list", "t.list.1", "t.whole", "t"]) expect(isSecret(key), key).toBe(true);
    for (const key of ["t.plain", "t.list.0", "cloud.endpoint", "backend"]) {
      expect(isSecret(key), key).toBe(false);
    }
  });

  it("is the same from loadConfig and loadConfigWithOrigins", () => {
    const home = testDir({ ".hush/config.toml": '[cloud]\napi_key = "k"\n' });
    const options = { homeDir: home, env: { HUSH__BACKEND: "server" } };
    expect(loadConfig(options)).toEqual(loadConfigWithOrigins(options).config);
  });

  it("reports file errors the same way from loadConfig, which skips recording origins", () => {
    const toml = '[cloud]\n\nuse_local_secrets = "yes"\n';
    const home = testDir({ ".hush/config.toml": toml });
    const error = configError(() => loadConfig({ homeDir: home, env: {} }));
    expect(error.message).toMatch(/^~\/\.hush\/config\.toml:3:21: /);
    expect(loadError(toml).message).toBe(error.message);
  });
});
