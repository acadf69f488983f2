import { chmodSync } from "node:fs";
import { join } from "node:path";
import { configure, IdentityError, resetConfiguration, Secret } from "@hush/core";
import { createClient } from "@hush/graphql";
import {
  expectNoLeak,
  rejection,
  startTestIssuer,
  type TestIssuer,
  testDir,
} from "@hush/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { startRealServer } from "../support/real-server.js";

const SUBJECT = "system:serviceaccount:apps:worker";

let issuer: TestIssuer | undefined;
afterEach(async () => {
  resetConfiguration();
  await issuer?.close();
  issuer = undefined;
});

/** A home whose `~/.hush/auth.toml` holds `token` for `endpoint`, as `hush login --oidc` saves it. */
function homeWithLogin(endpoint: string, token: string, expiresAt: string): string {
  const home = testDir({
    ".hush/auth.toml": `["${endpoint}"]\napi_key = "${token}"\nexpires_at = "${expiresAt}"\n`,
  });
  chmodSync(join(home, ".hush/auth.toml"), 0o600);
  return home;
}

/**
 * A real server with a secret and a trust of a local issuer's tokens for SUBJECT, and
 * `@hush/core` configured as a pod is: the endpoint, use_local_secrets = false and
 * HUSH__CLOUD__IDENTITY_TOKEN_FILE naming a file with `sub`'s token; no API key anywhere.
 */
async function podWith(sub: string) {
  const server = await startRealServer({ secrets: { DB_URL: "postgres://s3cret@db/app" } });
  issuer = await startTestIssuer();
  const admin = createClient({ endpoint: server.url, apiKey: server.tokens.TENANT_ADMIN });
  await admin.createIdentityTrust({ issuer: issuer.url, audience: "hush", subject: SUBJECT });
  const jwt = await issuer.sign({ aud: "hush", sub });
  const dir = testDir({ token: jwt });
  configure({
    homeDir: testDir({}),
    env: {
      HUSH__CLOUD__ENDPOINT: server.url,
      HUSH__CLOUD__USE_LOCAL_SECRETS: "false",
      HUSH__CLOUD__IDENTITY_TOKEN_FILE: join(dir, "token"),
    },
  });
  const exchanges = () =>
    server.requests.filter((r) => r.fields.includes("exchangeIdentityToken")).length;
  return { server, jwt, exchanges, path: join(dir, "token") };
}

describe("Secret with a workload identity and no API key", () => {
  it("reads from the server with the token the identity was exchanged for, exchanged once", async () => {
    const { exchanges } = await podWith(SUBJECT);
    expect(await new Secret("DB_URL").get()).toBe("postgres://s3cret@db/app");
    expect(await new Secret("DB_URL").exists()).toBe(true);
    expect(exchanges()).toBe(1);
  });

  it("exchanges again, once, when the server refuses the exchanged token", async () => {
    const { exchanges, server } = await podWith(SUBJECT);
    expect(await new Secret("DB_URL").get()).toBe("postgres://s3cret@db/app");
    const admin = createClient({ endpoint: server.url, apiKey: server.tokens.TENANT_ADMIN });
    const issued = (await admin.apiTokens()).filter((t) => t.name.startsWith("oidc "));
    expect(issued).toHaveLength(1);
    await admin.revokeApiToken(issued[0]!.id);
    expect(await new Secret("DB_URL").get()).toBe("postgres://s3cret@db/app");
    expect(exchanges()).toBe(2);
  });

  it("says the server refused the identity, never showing it or the value", async () => {
    const { jwt, path } = await podWith("system:serviceaccount:other:intruder");
    const error = await rejection(new Secret("DB_URL").get());
    expect(error).toBeInstanceOf(IdentityError);
    expect(error).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(error.message).toContain(`Could not read secret "DB_URL": The hush server at`);
    expect(error.message).toContain(`refused the identity token in ${path}`);
    // The server's own reason, not the client's advice about API keys.
    expect(error.message).toContain("check the trust's issuer, audience and subject");
    expect(error.message).not.toContain("apiKey");
    expectNoLeak(error, jwt, "s3cret");
  });

  it("uses an API key set alongside over the identity", async () => {
    const server = await startRealServer({ secrets: { DB_URL: "postgres://s3cret@db/app" } });
    configure({
      homeDir: testDir({}),
      env: {
        HUSH__CLOUD__ENDPOINT: server.url,
        HUSH__CLOUD__USE_LOCAL_SECRETS: "false",
        HUSH__CLOUD__API_KEY: server.tokens.RUNNER,
        HUSH__CLOUD__IDENTITY_TOKEN_FILE: "/nowhere/token",
      },
    });
    expect(await new Secret("DB_URL").get()).toBe("postgres://s3cret@db/app");
  });

  it("says to log in again when the token `hush login --oidc` saved has expired, sending nothing", async () => {
    const server = await startRealServer({ secrets: { DB_URL: "postgres://s3cret@db/app" } });
    const token = `hush_${"e".repeat(43)}`;
    const home = homeWithLogin(server.url, token, "2020-01-01T00:00:00.000Z");
    configure({
      homeDir: home,
      env: { HUSH__CLOUD__ENDPOINT: server.url, HUSH__CLOUD__USE_LOCAL_SECRETS: "false" },
    });
    const error = await rejection(new Secret("DB_URL").get());
    expect(error).toMatchObject({ name: "IdentityError", code: "UNAUTHENTICATED" });
    expect(error.message).toContain(
      "expired at 2020-01-01T00:00:00.000Z. Run `hush login --oidc` again",
    );
    expect(server.requests).toHaveLength(0);
    expectNoLeak(error, token);
  });

  it("exchanges the identity when the token `hush login --oidc` saved has expired", async () => {
    const { exchanges, server, path } = await podWith(SUBJECT);
    const token = `hush_${"e".repeat(43)}`;
    const login = homeWithLogin(server.url, token, "2020-01-01T00:00:00.000Z");
    configure({
      homeDir: login,
      env: {
        HUSH__CLOUD__ENDPOINT: server.url,
        HUSH__CLOUD__USE_LOCAL_SECRETS: "false",
        HUSH__CLOUD__IDENTITY_TOKEN_FILE: path,
      },
    });
    expect(await new Secret("DB_URL").get()).toBe("postgres://s3cret@db/app");
    expect(exchanges()).toBe(1);
  });
});
