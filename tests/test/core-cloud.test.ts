import { chmodSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import {
  configure,
  HushError,
  resetConfiguration,
  Secret,
  SecretAccessError,
  SecretError,
  SecretNotFoundError,
  SecretServerError,
  withContext,
} from "@hush/core";
import { createClient } from "@hush/graphql";
import { listenForTest, rejection, testDir } from "@hush/test-support";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type RealServer, type RecordedRequest, startRealServer } from "../support/real-server.js";
import { useCloud } from "../support/use-cloud.js";

afterEach(() => {
  vi.restoreAllMocks();
  resetConfiguration();
});

/** A real server with `secrets`, and @hush/core configured for it with a RUNNER token. */
async function cloudWith(
  secrets: Record<string, unknown>,
  options: { extraToml?: string; apiKey?: (server: RealServer) => string } = {},
) {
  const server = await startRealServer({ secrets });
  const apiKey = options.apiKey?.(server) ?? server.tokens.RUNNER;
  const { options: configureOptions } = useCloud(server.url, apiKey, {
    extraToml: options.extraToml ?? "",
  });
  return Object.assign(server, { configureOptions, apiKey });
}

const valueReads = (server: { requests: readonly RecordedRequest[] }) =>
  server.requests.filter(
    (r) => r.fields.includes("secretValue") || r.fields.includes("secretValues"),
  ).length;

/** A token of the right shape that the server never issued. */
const UNKNOWN_TOKEN = `hush_${"u".repeat(43)}`;

/** A stand-in for a broken proxy or a stuck server: answers every request with `answer`. */
async function stubServer(answer: (request: IncomingMessage, response: ServerResponse) => void) {
  return `http://127.0.0.1:${await listenForTest(createServer(answer))}`;
}

describe("Secret from the server", () => {
  it("decodes server values by the same rule as local ones: no digit is lost", async () => {
    const server = await cloudWith({
      ID: "12345678901234567890",
      PIN: "007",
      PORT: "5432",
      VERSION: "1.0",
      ACCOUNT: '{"id": 12345678901234567890}',
      OBJECT: { port: 5432 },
    });
    expect(await new Secret("ID").get()).toBe("12345678901234567890");
    expect(await Secret.getMany(["PIN", "PORT", "VERSION", "ACCOUNT", "OBJECT"])).toEqual({
      PIN: "007",
      PORT: 5432,
      VERSION: "1.0",
      ACCOUNT: '{"id": 12345678901234567890}',
      OBJECT: { port: 5432 },
    });
    expect(valueReads(server)).toBe(2);
  });

  it("reads a value with the configured endpoint and token", async () => {
    const server = await cloudWith({ API_URL: "https://api.example" });
    expect(await new Secret("API_URL").get()).toBe("https://api.example");
    expect(server.requests).toEqual([
      {
        operationName: "SecretValue",
        fields: ["secretValue"],
        authorization: true,
        faulted: false,
      },
    ]);
  });

  it("auto-loads JSON strings, and returns JSON objects as plain objects", async () => {
    await cloudWith({ N: "42", Q: '"42"', OBJ_STRING: '{"a":1}', OBJ: { user: "u", port: 5432 } });
    expect(await new Secret("N").get()).toBe(42);
    expect(await new Secret("Q").get()).toBe("42");
    expect(await new Secret("OBJ_STRING").get()).toEqual({ a: 1 });
    const obj = (await new Secret("OBJ").get()) as Record<string, unknown>;
    expect(obj).toEqual({ user: "u", port: 5432 });
    expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
    expect(await new Secret("OBJ").getString()).toBe('{"user":"u","port":5432}');
    expect(await new Secret("OBJ_STRING").getString()).toBe('{"a":1}');
  });

  it("uses the run context and [context.secrets] first, asking the server only for the rest", async () => {
    const server = await cloudWith(
      { A: "server" },
      { extraToml: `[context.secrets]\nB = "config"\n` },
    );
    await withContext({ secrets: { A: "run" } }, async () => {
      expect(await new Secret("A").get()).toBe("run");
      expect(await new Secret("B").get()).toBe("config");
    });
    expect(server.requests).toHaveLength(0);
    expect(await new Secret("A").get()).toBe("server");
    expect(server.requests).toHaveLength(1);
  });

  it("never asks the server while use_local_secrets is true (the default)", async () => {
    const server = await cloudWith({ A: "server" });
    configure({
      ...server.configureOptions,
      env: { HUSH__CLOUD__API_KEY: server.apiKey },
    });
    await expect(new Secret("A").get()).rejects.toThrow('Local Secret "A" was not found.');
    expect(await new Secret("A").exists()).toBe(false);
    await expect(Secret.getMany(["A"])).rejects.toThrow('Local Secret "A" was not found.');
    expect(server.requests).toHaveLength(0);
  });

  it("a server miss is a SecretNotFoundError naming the tenant, the endpoint and how to set it", async () => {
    const server = await cloudWith({});
    const error = await rejection(new Secret("MISSING").get());
    expect(error).toBeInstanceOf(SecretNotFoundError);
    expect(error).toMatchObject({ code: "NOT_FOUND", secretName: "MISSING" });
    expect(error.message).toContain('Secret "MISSING" was not found in tenant "acme"');
    expect(error.message).toContain(server.url);
    expect(error.message).not.toContain("mutation");
    expect(error.message).toContain("hush secrets set MISSING");
    expect(error.cause).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("Secret.getMany from the server", () => {
  it("reads local names locally and the rest in one round trip", async () => {
    const server = await cloudWith(
      { A: "1", B: '{"b":true}', C: "server C" },
      { extraToml: `[context.secrets]\nC = "local C"\n` },
    );
    expect(await Secret.getMany(["A", "B", "C"])).toEqual({ A: 1, B: { b: true }, C: "local C" });
    expect(server.requests).toEqual([expect.objectContaining({ fields: ["secretValues"] })]);
  });

  it("makes no request when every name is local", async () => {
    const server = await cloudWith({}, { extraToml: `[context.secrets]\nC = "c"\n` });
    expect(await Secret.getMany(["C"])).toEqual({ C: "c" });
    expect(server.requests).toHaveLength(0);
  });

  it("names the first missing secret", async () => {
    await cloudWith({ A: "1" });
    const error = await rejection(Secret.getMany(["A", "GONE_1", "GONE_2"]));
    expect(error).toBeInstanceOf(SecretNotFoundError);
    expect(error).toMatchObject({ code: "NOT_FOUND", secretName: "GONE_1" });
    expect(error.message).toContain('Secret "GONE_1" was not found in tenant "acme"');
  });
});

describe("Secret.exists() with the server", () => {
  it("checks the server's names, without throwing for a missing one", async () => {
    const server = await cloudWith({ THERE: "x" });
    expect(await new Secret("THERE").exists()).toBe(true);
    expect(await new Secret("NOT_THERE").exists()).toBe(false);
    expect(server.requests.every((r) => r.fields.includes("secretNames"))).toBe(true);
    expect(valueReads(server)).toBe(0);
  });
});

describe("server errors", () => {
  it("FORBIDDEN: says which roles may read values and that the token has another", async () => {
    await cloudWith({ A: "a" }, { apiKey: (server) => server.tokens.USER });
    const error = await rejection(new Secret("A").get());
    expect(error).toBeInstanceOf(SecretAccessError);
    expect(error).toBeInstanceOf(HushError);
    expect(error).toMatchObject({ code: "FORBIDDEN" });
    expect(error.message).toContain("TENANT_ADMIN or RUNNER");
    expect(error.message).toContain("[cloud] api_key");
    expect(error.message).toContain("another role");
  });

  it("UNAUTHENTICATED without a token: says how to set one", async () => {
    await cloudWith({ A: "a" }, { apiKey: () => "" });
    const error = await rejection(new Secret("A").get());
    expect(error).toBeInstanceOf(SecretAccessError);
    expect(error).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(error.message).toContain("[cloud] api_key is empty");
    expect(error.message).toContain("HUSH__CLOUD__API_KEY");
  });

  it("uses the token `hush login` saved for the endpoint when [cloud] api_key is empty", async () => {
    const server = await startRealServer({ secrets: { A: "a" } });
    const home = testDir({
      ".hush/config.toml": `[cloud]\nendpoint = "${server.url}/"\nuse_local_secrets = false\n`,
      ".hush/auth.toml": `["http://elsewhere:4200"]\napi_key = "${UNKNOWN_TOKEN}"\n\n["${server.url}"]\napi_key = "${server.tokens.RUNNER}"\n`,
    });
    chmodSync(join(home, ".hush/auth.toml"), 0o600);
    configure({ homeDir: home, env: {} });
    expect(await new Secret("A").get()).toBe("a");

    // The config's api_key wins, and an error names the token's source.
    configure({ homeDir: home, env: { HUSH__CLOUD__API_KEY: UNKNOWN_TOKEN } });
    expect((await rejection(new Secret("A").get())).message).toContain(
      "did not accept the API token from HUSH__CLOUD__API_KEY",
    );
    writeFileSync(
      join(home, ".hush/auth.toml"),
      `["${server.url}"]\napi_key = "${UNKNOWN_TOKEN}"\n`,
    );
    configure({ homeDir: home, env: {} });
    const revoked = await rejection(new Secret("A").get());
    expect(revoked).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(revoked.message).toContain("did not accept the API token `hush login` saved");

    // A broken auth file is reported without its text (it holds tokens), and local reads never read it.
    writeFileSync(join(home, ".hush/auth.toml"), `["${server.url}"]\napi_key = "${UNKNOWN_TOKEN}`);
    configure({ homeDir: home, env: {} });
    const broken = await rejection(new Secret("A").get());
    expect(broken.message).toContain("~/.hush/auth.toml is not valid TOML");
    expect(broken.message).not.toContain(UNKNOWN_TOKEN);
    configure({ homeDir: home, env: { HUSH__CONTEXT__SECRETS__L: "local" } });
    expect(await new Secret("L").get()).toBe("local");

    // One that others can read is refused, with the chmod to run (not on Windows: no modes there).
    if (process.platform !== "win32") {
      writeFileSync(
        join(home, ".hush/auth.toml"),
        `["${server.url}"]\napi_key = "${server.tokens.RUNNER}"\n`,
      );
      chmodSync(join(home, ".hush/auth.toml"), 0o644);
      configure({ homeDir: home, env: {} });
      const open = await rejection(new Secret("A").get());
      expect(open.cause).toMatchObject({ code: "FILE_TOO_OPEN" });
      expect(open.message).toContain(`chmod 600 ${join(home, ".hush/auth.toml")}`);
      expect(open.message).not.toContain(server.tokens.RUNNER);
    }
  });

  it("UNAUTHENTICATED with an unknown or revoked token: says the token was not accepted", async () => {
    const server = await cloudWith({ A: "a" }, { apiKey: () => UNKNOWN_TOKEN });
    const unknown = await rejection(new Secret("A").get());
    expect(unknown).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(unknown.message).toContain("did not accept the API token from HUSH__CLOUD__API_KEY");
    expect(unknown.message).toContain("HUSH__CLOUD__API_KEY");

    const admin = await server.service.authenticate(server.tokens.TENANT_ADMIN);
    const runner = (await server.service.apiTokens(admin!)).find((t) => t.role === "RUNNER");
    await server.service.revokeApiToken(admin!, runner!.id);
    useCloud(server.url, server.tokens.RUNNER);
    const revoked = await rejection(new Secret("A").get());
    expect(revoked).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(revoked.message).toContain("did not accept the API token from HUSH__CLOUD__API_KEY");
  });

  it("a broken answer: a SecretServerError with the lower layer's code", async () => {
    const url = await stubServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/html" }).end("<html>proxy error</html>");
    });
    useCloud(url, UNKNOWN_TOKEN);
    const error = await rejection(new Secret("A").get());
    expect(error).toBeInstanceOf(SecretServerError);
    expect(error).toMatchObject({ code: "BAD_RESPONSE" });
    expect(error.message).toContain(url);
  });

  it("a slow server: TIMEOUT, naming the endpoint", async () => {
    // Never answers; the stub closes the connection when the test ends.
    const url = await stubServer(() => {});
    const { options } = useCloud(url, UNKNOWN_TOKEN);
    configure({
      ...options,
      client: createClient({ endpoint: url, apiKey: UNKNOWN_TOKEN, timeoutMs: 50, retries: 0 }),
    });
    const error = await rejection(new Secret("A").get());
    expect(error).toBeInstanceOf(SecretServerError);
    expect(error).toMatchObject({ code: "TIMEOUT", endpoint: url });
    expect(error.message).toContain(url);
  });

  it("[cloud] settings the client cannot use: BAD_INPUT, not a server failure", async () => {
    const server = await cloudWith({ A: "a" }, { apiKey: () => "hush_pasted with a space" });
    for (const [error, what] of [
      [await rejection(new Secret("A").get()), 'read secret "A"'],
      [await rejection(new Secret("A").exists()), "list secret names"],
    ] as const) {
      expect(error).toBeInstanceOf(SecretError);
      expect(error).toMatchObject({ code: "BAD_INPUT", cause: { code: "INVALID_API_KEY" } });
      expect(error.message).toMatch(new RegExp(`^Could not ${what}: The hush API key`));
      // The client names its option; core adds where that setting lives.
      expect(error.message).toContain("[cloud] api_key");
      expect(error.message).toContain("HUSH__CLOUD__API_KEY");
      expect(error.message).not.toContain("from the hush server");
    }
    expect(server.requests).toHaveLength(0);
  });

  it("a name the server rejects: BAD_INPUT with the server's rule", async () => {
    await cloudWith({});
    const error = await rejection(new Secret("a b").get());
    expect(error).toMatchObject({ code: "BAD_INPUT", cause: { code: "BAD_USER_INPUT" } });
    expect(error.message).toContain("the hush server at");
    expect(error.message).toContain("rejected the request");
  });
});

describe("caching", () => {
  it("is off by default: each get is a round trip, concurrent ones too", async () => {
    const server = await cloudWith({ A: "a" });
    await new Secret("A").get();
    await new Secret("A").get();
    expect(valueReads(server)).toBe(2);
    await Promise.all([new Secret("A").get(), new Secret("A").get()]);
    expect(valueReads(server)).toBe(4);
  });

  it("configure({ cacheTtlMs }) caches values, with one request for concurrent gets", async () => {
    const server = await cloudWith({ A: "a", B: "b" });
    configure({ ...server.configureOptions, cacheTtlMs: 60_000 });
    const values = await Promise.all([1, 2, 3, 4, 5].map(() => new Secret("A").get()));
    expect(values).toEqual(["a", "a", "a", "a", "a"]);
    expect(await new Secret("A").getString()).toBe("a");
    expect(valueReads(server)).toBe(1);
    // getMany reuses the cached A and fetches only B.
    expect(await Secret.getMany(["A", "B"])).toEqual({ A: "a", B: "b" });
    expect(await new Secret("B").get()).toBe("b");
    expect(valueReads(server)).toBe(2);
  });

  it("[cloud] secret_cache_ttl_ms turns it on, and values expire after it", async () => {
    const server = await cloudWith({ A: "a" }, { extraToml: "secret_cache_ttl_ms = 500\n" });
    let now = Date.now();
    vi.spyOn(Date, "now").mockImplementation(() => now);
    expect(await new Secret("A").get()).toBe("a");
    await server.setSecrets({ A: "rotated" });
    now += 499;
    expect(await new Secret("A").get()).toBe("a");
    now += 1;
    expect(await new Secret("A").get()).toBe("rotated");
    expect(valueReads(server)).toBe(2);
  });

  it("a getMany that fails for a missing name does not fail a concurrent get() of a present one", async () => {
    const server = await cloudWith({ A: "a" });
    configure({ ...server.configureOptions, cacheTtlMs: 60_000 });
    const [many, one] = await Promise.allSettled([
      Secret.getMany(["A", "GONE"]),
      new Secret("A").get(),
    ]);
    expect(many).toMatchObject({ status: "rejected", reason: { secretName: "GONE" } });
    expect(one).toEqual({ status: "fulfilled", value: "a" });
  });

  it("never lets a cached server value hide a run's or the config's secret", async () => {
    const server = await cloudWith({ A: "server" });
    configure({ ...server.configureOptions, cacheTtlMs: 60_000 });
    expect(await new Secret("A").get()).toBe("server");
    expect(await withContext({ secrets: { A: "run" } }, () => new Secret("A").get())).toBe("run");
    expect(await withContext({ secrets: { A: "run" } }, () => Secret.getMany(["A"]))).toEqual({
      A: "run",
    });
  });

  it("does not cache failures", async () => {
    const server = await cloudWith({}, { extraToml: "secret_cache_ttl_ms = 60000\n" });
    await expect(new Secret("LATE").get()).rejects.toThrow(SecretNotFoundError);
    await server.setSecrets({ LATE: "here now" });
    expect(await new Secret("LATE").get()).toBe("here now");
  });

  it("hands each caller its own copy of a cached object", async () => {
    await cloudWith({ OBJ: { a: 1 } }, { extraToml: "secret_cache_ttl_ms = 60000\n" });
    const first = (await new Secret("OBJ").get()) as { a: number };
    first.a = 2;
    expect(await new Secret("OBJ").get()).toEqual({ a: 1 });
  });

  it("caches the list of names for exists()", async () => {
    const server = await cloudWith({ A: "a" }, { extraToml: "secret_cache_ttl_ms = 60000\n" });
    expect(await Promise.all([new Secret("A").exists(), new Secret("B").exists()])).toEqual([
      true,
      false,
    ]);
    expect(server.requests).toHaveLength(1);
  });

  it("configure() drops the cache", async () => {
    const server = await cloudWith({ A: "a" }, { extraToml: "secret_cache_ttl_ms = 60000\n" });
    await new Secret("A").get();
    configure(server.configureOptions);
    await new Secret("A").get();
    expect(valueReads(server)).toBe(2);
  });
});
