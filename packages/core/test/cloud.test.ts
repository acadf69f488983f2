import { createClient } from "@hush/graphql";
import { afterEach, describe, expect, it, vi } from "vitest";
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
} from "../src/index.js";
import { closedEndpoint, RUNNER_TOKEN, rejection, useCloud } from "./cloud-helpers.js";
import { useConfig } from "./helpers.js";

afterEach(() => {
  vi.restoreAllMocks();
  resetConfiguration();
});

const valueReads = (server: { requests: readonly { fields: readonly string[] }[] }) =>
  server.requests.filter(
    (r) => r.fields.includes("secretValue") || r.fields.includes("secretValues"),
  ).length;

describe("Secret from the server", () => {
  it("reads a value with the configured endpoint and token", async () => {
    const server = await useCloud({ secrets: { API_URL: "https://api.example" } });
    expect(await new Secret("API_URL").get()).toBe("https://api.example");
    expect(server.requests).toEqual([
      expect.objectContaining({
        operationName: "SecretValue",
        fields: ["secretValue"],
        authorization: true,
      }),
    ]);
  });

  it("auto-loads JSON strings, and returns JSON objects as plain objects", async () => {
    await useCloud({
      secrets: { N: "42", Q: '"42"', OBJ_STRING: '{"a":1}', OBJ: { user: "u", port: 5432 } },
    });
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
    const server = await useCloud({
      secrets: { A: "server" },
      extraToml: `[context.secrets]\nB = "config"\n`,
    });
    await withContext({ secrets: { A: "run" } }, async () => {
      expect(await new Secret("A").get()).toBe("run");
      expect(await new Secret("B").get()).toBe("config");
    });
    expect(server.requests).toHaveLength(0);
    expect(await new Secret("A").get()).toBe("server");
    expect(server.requests).toHaveLength(1);
  });

  it("never asks the server while use_local_secrets is true (the default)", async () => {
    const server = await useCloud({ secrets: { A: "server" } });
    useConfig(`[cloud]\nendpoint = "${server.url}"\napi_key = "${RUNNER_TOKEN}"\n`);
    await expect(new Secret("A").get()).rejects.toThrow('Local Secret "A" was not found.');
    expect(await new Secret("A").exists()).toBe(false);
    await expect(Secret.getMany(["A"])).rejects.toThrow('Local Secret "A" was not found.');
    expect(server.requests).toHaveLength(0);
  });

  it("a server miss is a SecretNotFoundError naming the tenant, the endpoint and how to set it", async () => {
    const server = await useCloud({ secrets: {} });
    const error = await rejection(new Secret("MISSING").get());
    expect(error).toBeInstanceOf(SecretNotFoundError);
    expect(error).toMatchObject({ code: "NOT_FOUND", secretName: "MISSING" });
    expect(error.message).toContain('Secret "MISSING" was not found in tenant "acme"');
    expect(error.message).toContain(server.url);
    expect(error.message).toContain("setSecret");
    expect(error.message).toContain("hush secrets set MISSING");
    expect(error.cause).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("Secret.getMany from the server", () => {
  it("reads local names locally and the rest in one round trip", async () => {
    const server = await useCloud({
      secrets: { A: "1", B: '{"b":true}', C: "server C" },
      extraToml: `[context.secrets]\nC = "local C"\n`,
    });
    expect(await Secret.getMany(["A", "B", "C"])).toEqual({ A: 1, B: { b: true }, C: "local C" });
    expect(server.requests).toEqual([expect.objectContaining({ fields: ["secretValues"] })]);
  });

  it("makes no request when every name is local", async () => {
    const server = await useCloud({ extraToml: `[context.secrets]\nC = "c"\n` });
    expect(await Secret.getMany(["C"])).toEqual({ C: "c" });
    expect(server.requests).toHaveLength(0);
  });

  it("names the first missing secret", async () => {
    await useCloud({ secrets: { A: "1" } });
    const error = await rejection(Secret.getMany(["A", "GONE_1", "GONE_2"]));
    expect(error).toBeInstanceOf(SecretNotFoundError);
    expect(error).toMatchObject({ code: "NOT_FOUND", secretName: "GONE_1" });
    expect(error.message).toContain('Secret "GONE_1" was not found in tenant "acme"');
  });
});

describe("Secret.exists() with the server", () => {
  it("checks the server's names, without throwing for a missing one", async () => {
    const server = await useCloud({ secrets: { THERE: "x" } });
    expect(await new Secret("THERE").exists()).toBe(true);
    expect(await new Secret("NOT_THERE").exists()).toBe(false);
    expect(server.requests.every((r) => r.fields.includes("secretNames"))).toBe(true);
    expect(valueReads(server)).toBe(0);
  });

  it("does throw when the server cannot be reached", async () => {
    useUnreachable(await closedEndpoint());
    const error = await rejection(new Secret("X").exists());
    expect(error).toBeInstanceOf(SecretServerError);
    expect(error.message).toContain("list secret names");
  });
});

describe("server errors", () => {
  it("FORBIDDEN: says which roles may read values and that the token has another", async () => {
    await useCloud({
      tokens: { hush_user_token: "USER" },
      apiKey: "hush_user_token",
      secrets: { A: "a" },
    });
    const error = await rejection(new Secret("A").get());
    expect(error).toBeInstanceOf(SecretAccessError);
    expect(error).toBeInstanceOf(HushError);
    expect(error).toMatchObject({ code: "FORBIDDEN" });
    expect(error.message).toContain("TENANT_ADMIN or RUNNER");
    expect(error.message).toContain("[cloud] api_key");
    expect(error.message).toContain("another role");
  });

  it("UNAUTHENTICATED without a token: says how to set one", async () => {
    await useCloud({ apiKey: "", secrets: { A: "a" } });
    const error = await rejection(new Secret("A").get());
    expect(error).toBeInstanceOf(SecretAccessError);
    expect(error).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(error.message).toContain("[cloud] api_key is empty");
    expect(error.message).toContain("HUSH__CLOUD__API_KEY");
  });

  it("UNAUTHENTICATED with an unknown token: says the token was not accepted", async () => {
    await useCloud({ apiKey: "hush_revoked_token", secrets: { A: "a" } });
    const error = await rejection(new Secret("A").get());
    expect(error).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(error.message).toContain("did not accept the API token in [cloud] api_key");
    expect(error.message).toContain("HUSH__CLOUD__API_KEY");
  });

  it("an unreachable server: names the endpoint, keeps the cause, suggests local secrets", async () => {
    const endpoint = await closedEndpoint();
    useUnreachable(endpoint);
    const error = await rejection(new Secret("A").get());
    expect(error).toBeInstanceOf(SecretServerError);
    expect(error).toMatchObject({ code: "NETWORK", endpoint });
    expect(error.message).toContain(
      `Could not read secret "A" from the hush server at ${endpoint}`,
    );
    expect(error.message).toContain("use_local_secrets = true");
    expect(error.cause).toBeInstanceOf(HushError);
  });

  it("a broken answer: a SecretServerError with the lower layer's code", async () => {
    const server = await useCloud({ secrets: { A: "a" } });
    server.failNext(1, { status: 200, body: "<html>proxy error</html>", contentType: "text/html" });
    const error = await rejection(new Secret("A").get());
    expect(error).toBeInstanceOf(SecretServerError);
    expect(error).toMatchObject({ code: "BAD_RESPONSE" });
    expect(error.message).toContain(server.url);
  });

  it("a slow server: TIMEOUT, naming the endpoint", async () => {
    const server = await useCloud({ secrets: { A: "a" } });
    server.failNext(1, { delayMs: 2_000 });
    configure({
      ...server.configureOptions,
      client: createClient({
        endpoint: server.url,
        apiKey: RUNNER_TOKEN,
        timeoutMs: 50,
        retries: 0,
      }),
    });
    const error = await rejection(new Secret("A").get());
    expect(error).toBeInstanceOf(SecretServerError);
    expect(error).toMatchObject({ code: "TIMEOUT", endpoint: server.url });
    expect(error.message).toContain(server.url);
  });

  it("[cloud] settings the client cannot use: BAD_INPUT, not a server failure", async () => {
    const server = await useCloud({ apiKey: "hush_pasted with a space", secrets: { A: "a" } });
    for (const [error, what] of [
      [await rejection(new Secret("A").get()), 'read secret "A"'],
      [await rejection(new Secret("A").exists()), "list secret names"],
    ] as const) {
      expect(error).toBeInstanceOf(SecretError);
      expect(error).toMatchObject({ code: "BAD_INPUT", cause: { code: "INVALID_API_KEY" } });
      expect(error.message).toMatch(new RegExp(`^Could not ${what}: The hush API key`));
      expect(error.message).not.toContain("from the hush server");
    }
    expect(server.requests).toHaveLength(0);
  });

  it("a name the server rejects: BAD_INPUT with the server's rule", async () => {
    const rule = new HushError(
      "BAD_USER_INPUT",
      "Secret names may only contain A-Z, a-z, 0-9, _, . and -.",
    );
    useConfig(
      "",
      { HUSH__CLOUD__USE_LOCAL_SECRETS: "false" },
      {
        client: {
          secretValue: () => Promise.reject(rule),
          secretValues: () => Promise.reject(rule),
          secretNames: async () => [],
        },
      },
    );
    const error = await rejection(new Secret("a b").get());
    expect(error).toMatchObject({ code: "BAD_INPUT", cause: rule });
    expect(error.message).toContain("Secret names may only contain");
  });

  it("wraps an unexpected error of a custom client, keeping it as the cause", async () => {
    const cause = new TypeError("socket hang up");
    useConfig(
      "",
      { HUSH__CLOUD__USE_LOCAL_SECRETS: "false" },
      {
        client: {
          secretValue: () => Promise.reject(cause),
          secretValues: () => Promise.reject(cause),
          secretNames: () => Promise.reject(cause),
        },
      },
    );
    const error = await rejection(new Secret("A").get());
    expect(error).toMatchObject({ code: "SERVER_ERROR", cause });
    expect(error.message).toContain("TypeError");
  });
});

describe("caching", () => {
  it("is off by default: each get is a round trip, concurrent ones too", async () => {
    const server = await useCloud({ secrets: { A: "a" } });
    await new Secret("A").get();
    await new Secret("A").get();
    expect(valueReads(server)).toBe(2);
    await Promise.all([new Secret("A").get(), new Secret("A").get()]);
    expect(valueReads(server)).toBe(4);
  });

  it("configure({ cacheTtlMs }) caches values, with one request for concurrent gets", async () => {
    const server = await useCloud({ secrets: { A: "a", B: "b" } });
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
    let now = 1_000_000;
    vi.spyOn(Date, "now").mockImplementation(() => now);
    const server = await useCloud({
      secrets: { A: "a" },
      extraToml: "secret_cache_ttl_ms = 500\n",
    });
    expect(await new Secret("A").get()).toBe("a");
    server.secrets.set("A", "rotated");
    now += 499;
    expect(await new Secret("A").get()).toBe("a");
    now += 1;
    expect(await new Secret("A").get()).toBe("rotated");
    expect(valueReads(server)).toBe(2);
  });

  it("a getMany that fails for a missing name does not fail a concurrent get() of a present one", async () => {
    const server = await useCloud({ secrets: { A: "a" } });
    configure({ ...server.configureOptions, cacheTtlMs: 60_000 });
    const [many, one] = await Promise.allSettled([
      Secret.getMany(["A", "GONE"]),
      new Secret("A").get(),
    ]);
    expect(many).toMatchObject({ status: "rejected", reason: { secretName: "GONE" } });
    expect(one).toEqual({ status: "fulfilled", value: "a" });
  });

  it("never lets a cached server value hide a run's or the config's secret", async () => {
    const server = await useCloud({ secrets: { A: "server" } });
    configure({ ...server.configureOptions, cacheTtlMs: 60_000 });
    expect(await new Secret("A").get()).toBe("server");
    expect(await withContext({ secrets: { A: "run" } }, () => new Secret("A").get())).toBe("run");
    expect(await withContext({ secrets: { A: "run" } }, () => Secret.getMany(["A"]))).toEqual({
      A: "run",
    });
  });

  it("does not cache failures", async () => {
    const server = await useCloud({ secrets: {}, extraToml: "secret_cache_ttl_ms = 60000\n" });
    await expect(new Secret("LATE").get()).rejects.toThrow(SecretNotFoundError);
    server.secrets.set("LATE", "here now");
    expect(await new Secret("LATE").get()).toBe("here now");
  });

  it("hands each caller its own copy of a cached object", async () => {
    await useCloud({ secrets: { OBJ: { a: 1 } }, extraToml: "secret_cache_ttl_ms = 60000\n" });
    const first = (await new Secret("OBJ").get()) as { a: number };
    first.a = 2;
    expect(await new Secret("OBJ").get()).toEqual({ a: 1 });
  });

  it("caches the list of names for exists()", async () => {
    const server = await useCloud({
      secrets: { A: "a" },
      extraToml: "secret_cache_ttl_ms = 60000\n",
    });
    expect(await Promise.all([new Secret("A").exists(), new Secret("B").exists()])).toEqual([
      true,
      false,
    ]);
    expect(server.requests).toHaveLength(1);
  });

  it("configure() drops the cache", async () => {
    const server = await useCloud({
      secrets: { A: "a" },
      extraToml: "secret_cache_ttl_ms = 60000\n",
    });
    await new Secret("A").get();
    configure(server.configureOptions);
    await new Secret("A").get();
    expect(valueReads(server)).toBe(2);
  });
});

/** Configures a server at `endpoint` through the environment, with a client that does not retry. */
function useUnreachable(endpoint: string) {
  useConfig(
    "",
    { HUSH__CLOUD__USE_LOCAL_SECRETS: "false", HUSH__CLOUD__ENDPOINT: endpoint },
    { client: createClient({ endpoint, apiKey: "", retries: 0 }) },
  );
}
