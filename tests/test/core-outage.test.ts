import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  type ConfigureOptions,
  configure,
  Secret,
  SecretAccessError,
  SecretNotFoundError,
  SecretServerError,
} from "@hush/core";
import { createClient } from "@hush/graphql";
import { rejection, testDir } from "@hush/test-support";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startFlakyProxy } from "../support/flaky-proxy.js";
import { type RealServer, startRealServer } from "../support/real-server.js";
import { useCloud } from "../support/use-cloud.js";

afterEach(() => {
  vi.restoreAllMocks();
});

/** The warnings `process.emitWarning` was given, from now on (printed nowhere). */
function captureWarnings(): string[] {
  const messages: string[] = [];
  vi.spyOn(process, "emitWarning").mockImplementation((warning: string | Error) => {
    messages.push(typeof warning === "string" ? warning : warning.message);
  });
  return messages;
}

/** Lets background work (a refresh) run: a few turns of the event loop. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}

/** The same configuration with a client that does not retry, so a failed read ends at once. */
function withoutRetries(cloud: { options: ConfigureOptions }, server: RealServer): void {
  const { env } = cloud.options;
  configure({
    ...cloud.options,
    client: createClient({
      endpoint: server.url,
      apiKey: env?.HUSH__CLOUD__API_KEY ?? "",
      retries: 0,
    }),
  });
}

/** A clock for Date.now() that the test moves. */
function fakeNow() {
  let now = Date.now();
  vi.spyOn(Date, "now").mockImplementation(() => now);
  return { advance: (ms: number) => (now += ms) };
}

describe("reads through a server restart", () => {
  it("keeps returning the cached value while the server is down, within stale_ttl", async () => {
    const server = await startRealServer({ secrets: { DB_URL: "postgres://one" } });
    withoutRetries(
      useCloud(server.url, server.tokens.RUNNER, {
        extraToml: "cache_ttl = 60\nstale_ttl = 3600\n",
      }),
      server,
    );
    const clock = fakeNow();
    expect(await new Secret("DB_URL").get()).toBe("postgres://one");

    await server.stop();
    clock.advance(120_000); // past cache_ttl: stale, refreshed in the background, which fails
    expect(await new Secret("DB_URL").get()).toBe("postgres://one");
    await settle();
    expect(await new Secret("DB_URL").get()).toBe("postgres://one");
    await settle();

    await server.start();
    await server.setSecrets({ DB_URL: "postgres://two" });
    // A stale read returns at once and starts one refresh; once it lands the value is fresh.
    const seen = new Set<unknown>();
    for (let attempt = 0; attempt < 100 && !seen.has("postgres://two"); attempt++) {
      seen.add(await new Secret("DB_URL").get());
      await settle();
    }
    expect([...seen]).toEqual(["postgres://one", "postgres://two"]);
  });

  it("fails once stale_ttl has ended, and reads again after the restart", async () => {
    const server = await startRealServer({ secrets: { A: "a" } });
    withoutRetries(
      useCloud(server.url, server.tokens.RUNNER, { extraToml: "cache_ttl = 1\nstale_ttl = 10\n" }),
      server,
    );
    const clock = fakeNow();
    expect(await new Secret("A").get()).toBe("a");
    await server.stop();
    clock.advance(11_001);
    const error = await rejection(new Secret("A").get());
    expect(error).toBeInstanceOf(SecretServerError);
    expect(error.code).toBe("NETWORK");
    await server.start();
    expect(await new Secret("A").get()).toBe("a");
  });

  it("without a cache, a read after the restart works on the same configuration", async () => {
    const server = await startRealServer({ secrets: { A: "a" } });
    useCloud(server.url, server.tokens.RUNNER);
    expect(await new Secret("A").get()).toBe("a");
    await server.stop();
    await server.start();
    expect(await new Secret("A").get()).toBe("a");
  });
});

describe("the offline fallback file", () => {
  function fallbackToml(extra = "") {
    const file = join(testDir(), "state", "hush-fallback.json");
    return { file, toml: `fallback_file = "${file}"\n${extra}` };
  }

  it("is written after each server read, encrypted, with mode 0600", async () => {
    const server = await startRealServer({
      secrets: { DB: { user: "app", password: "pw-in-the-clear" } },
    });
    const { file, toml } = fallbackToml();
    useCloud(server.url, server.tokens.RUNNER, { extraToml: toml });
    expect(existsSync(file)).toBe(false);
    await new Secret("DB").get();
    const text = readFileSync(file, "utf8");
    expect(text).not.toContain("pw-in-the-clear");
    expect(text).not.toContain(server.tokens.RUNNER);
    if (process.platform !== "win32") expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("serves the last values when the server is stopped, warning with their age", async () => {
    const server = await startRealServer({
      secrets: { DB: { user: "app", password: 'p"w' }, URL: "https://x" },
    });
    const { toml } = fallbackToml();
    useCloud(server.url, server.tokens.RUNNER, { extraToml: toml });
    expect(await Secret.getMany(["DB", "URL"])).toEqual({
      DB: { user: "app", password: 'p"w' },
      URL: "https://x",
    });
    await server.stop();
    const clock = fakeNow();
    clock.advance(3 * 60_000);
    const warnings = captureWarnings();
    expect(await new Secret("DB").get()).toEqual({ user: "app", password: 'p"w' });
    expect(await Secret.getMany(["URL"])).toEqual({ URL: "https://x" });
    expect(warnings).toEqual([
      expect.stringMatching(
        /^The hush server at http:\/\/127\.0\.0\.1:\d+ could not be reached \(NETWORK\); secret "DB" was read from the fallback file .*hush-fallback\.json, saved there 3 minutes ago\.$/,
      ),
      expect.stringContaining('secret "URL" was read from the fallback file'),
    ]);
    expect(warnings.join("\n")).not.toContain('p"w');

    // A secret never read before has no copy: the outage error says so.
    const missing = await rejection(new Secret("NEVER_READ").get());
    expect(missing).toBeInstanceOf(SecretServerError);
    expect(missing.message).toContain('has no copy of "NEVER_READ"');
  });

  it("is used when connections are dropped, and when a proxy answers 502", async () => {
    const server = await startRealServer({ secrets: { A: "a" } });
    const proxy = await startFlakyProxy(server.url);
    const { toml } = fallbackToml();
    useCloud(proxy.url, server.tokens.RUNNER, { extraToml: toml });
    expect(await new Secret("A").get()).toBe("a");
    const warnings = captureWarnings();

    proxy.setMode("drop");
    expect(await new Secret("A").get()).toBe("a");
    expect(warnings.at(-1)).toContain("could not be reached (NETWORK)");

    proxy.setMode("bad-gateway");
    expect(await new Secret("A").get()).toBe("a");
    expect(warnings.at(-1)).toContain("could not be reached (HTTP_ERROR)");

    proxy.setMode("forward");
    await server.setSecrets({ A: "a2" });
    expect(await new Secret("A").get()).toBe("a2");
    expect(warnings).toHaveLength(2);
  });

  it("is never used when the server answers NOT_FOUND, and forgets a deleted secret", async () => {
    const server = await startRealServer({ secrets: { GONE: "old value" } });
    const { toml } = fallbackToml();
    useCloud(server.url, server.tokens.RUNNER, { extraToml: toml });
    expect(await new Secret("GONE").get()).toBe("old value");
    const admin = await server.service.authenticate(server.tokens.TENANT_ADMIN);
    await server.service.deleteSecret(admin!, "GONE");
    expect(await rejection(new Secret("GONE").get())).toBeInstanceOf(SecretNotFoundError);

    await server.stop();
    const error = await rejection(new Secret("GONE").get());
    expect(error).toBeInstanceOf(SecretServerError);
    expect(error.message).toContain('has no copy of "GONE"');
  });

  it("is never used when the server answers FORBIDDEN", async () => {
    const server = await startRealServer({ secrets: { A: "a" } });
    const key = Buffer.alloc(32, 7).toString("base64");
    const { toml } = fallbackToml();
    useCloud(server.url, server.tokens.RUNNER, {
      extraToml: toml,
      env: { HUSH__CLOUD__FALLBACK_KEY: key },
    });
    expect(await new Secret("A").get()).toBe("a");
    // Same file and key, but a token that may not read values.
    useCloud(server.url, server.tokens.USER, {
      extraToml: toml,
      env: { HUSH__CLOUD__FALLBACK_KEY: key },
    });
    const error = await rejection(new Secret("A").get());
    expect(error).toBeInstanceOf(SecretAccessError);
    expect(error.code).toBe("FORBIDDEN");
  });

  it("is not used past [cloud] fallback_max_age", async () => {
    const server = await startRealServer({ secrets: { A: "a" } });
    const { toml } = fallbackToml("fallback_max_age = 3600\n");
    useCloud(server.url, server.tokens.RUNNER, { extraToml: toml });
    expect(await new Secret("A").get()).toBe("a");
    await server.stop();
    const clock = fakeNow();
    clock.advance(3_599_000);
    captureWarnings();
    expect(await new Secret("A").get()).toBe("a");
    clock.advance(2_000);
    const error = await rejection(new Secret("A").get());
    expect(error).toBeInstanceOf(SecretServerError);
    expect(error.message).toContain(
      'has a copy of "A" saved 1 hour ago, older than [cloud] fallback_max_age (3600 s), so it was not used.',
    );
  });

  /** A second tenant on `server`, with `secrets`, and its RUNNER token. */
  async function otherTenant(server: RealServer, secrets: Record<string, unknown>) {
    const created = await server.service.createTenant("globex");
    const admin = await server.service.authenticate(created.token);
    if (admin === undefined) throw new Error("the new admin token does not authenticate");
    await server.service.setSecrets(
      admin,
      Object.entries(secrets).map(([name, value]) => ({ name, value })),
    );
    const runner = await server.service.createApiToken(admin, { name: "runner", role: "RUNNER" });
    return { runner: runner.token, admin };
  }

  it("with one fallback key for two tenants, never serves one tenant's values to the other", async () => {
    const server = await startRealServer({ secrets: { DB: "acme-db-value" } });
    const globex = await otherTenant(server, { DB: "globex-db-value" });
    const env = { HUSH__CLOUD__FALLBACK_KEY: Buffer.alloc(32, 9).toString("base64") };
    const { toml } = fallbackToml();
    const as = (token: string) => useCloud(server.url, token, { extraToml: toml, env });

    as(server.tokens.RUNNER);
    expect(await new Secret("DB").get()).toBe("acme-db-value");
    await server.stop();
    as(globex.runner);
    const warnings = captureWarnings();
    const error = await rejection(new Secret("DB").get());
    expect(error).toBeInstanceOf(SecretServerError);
    expect(error.message).toContain("was written for another tenant or API token");
    expect(`${error.message}${warnings.join("")}`).not.toContain("acme-db-value");

    // Once online, globex's RUNNER keeps its own copy; acme's then finds none of its own.
    await server.start();
    as(globex.runner);
    expect(await new Secret("DB").get()).toBe("globex-db-value");
    await server.stop();
    as(server.tokens.RUNNER);
    const other = await rejection(new Secret("DB").get());
    expect(other.message).toContain("was written for another tenant or API token");
    expect(other.message).not.toContain("globex-db-value");
  });

  it("with one fallback key, is shared by the tenant's tokens that have read from the server", async () => {
    const server = await startRealServer({ secrets: { A: "a", B: "b" } });
    const env = { HUSH__CLOUD__FALLBACK_KEY: Buffer.alloc(32, 9).toString("base64") };
    const { toml } = fallbackToml();
    const admin = await server.service.authenticate(server.tokens.TENANT_ADMIN);
    const second = await server.service.createApiToken(admin!, { name: "second", role: "RUNNER" });
    useCloud(server.url, server.tokens.RUNNER, { extraToml: toml, env });
    expect(await new Secret("A").get()).toBe("a");
    useCloud(server.url, second.token, { extraToml: toml, env });
    expect(await new Secret("B").get()).toBe("b");
    await server.stop();
    captureWarnings();
    for (const token of [server.tokens.RUNNER, second.token]) {
      useCloud(server.url, token, { extraToml: toml, env });
      expect(await Secret.getMany(["A", "B"])).toEqual({ A: "a", B: "b" });
    }
  });

  it("with one fallback key, a file written for one server is not read for another", async () => {
    const first = await startRealServer({ secrets: { A: "first-server-value" } });
    const second = await startRealServer({ secrets: { A: "second" } });
    const env = { HUSH__CLOUD__FALLBACK_KEY: Buffer.alloc(32, 9).toString("base64") };
    const { toml } = fallbackToml();
    useCloud(first.url, first.tokens.RUNNER, { extraToml: toml, env });
    expect(await new Secret("A").get()).toBe("first-server-value");
    await second.stop();
    useCloud(second.url, first.tokens.RUNNER, { extraToml: toml, env });
    const error = await rejection(new Secret("A").get());
    expect(error).toBeInstanceOf(SecretServerError);
    expect(error.message).toContain("was written for another server");
    expect(error.message).not.toContain("first-server-value");
  });

  it("is read by a new process (configuration) after the server went away", async () => {
    const server = await startRealServer({ secrets: { A: "a" } });
    const { toml } = fallbackToml();
    useCloud(server.url, server.tokens.RUNNER, { extraToml: toml });
    expect(await new Secret("A").get()).toBe("a");
    await server.stop();
    // A fresh configuration, as a new process has: nothing in memory, only the file.
    useCloud(server.url, server.tokens.RUNNER, { extraToml: toml });
    captureWarnings();
    expect(await new Secret("A").get()).toBe("a");
  });
});
