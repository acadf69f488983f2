import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { HushError } from "@hush/errors";
import { expectNoLeak, rejection, startTestIssuer, testDir } from "@hush/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { IdentityError } from "./errors.js";
import {
  type ExchangedToken,
  IdentityTokens,
  type IdentityTokensOptions,
} from "./identity-tokens.js";

const ENDPOINT = "http://127.0.0.1:4200";
const MINUTE = 60_000;

/**
 * A stand-in server: each exchange answers a new token (`hush_1`, `hush_2`, …) lasting `lifeMs`
 * from the fake clock's now, and records the identity token it was given.
 */
function standIn(lifeMs = 15 * MINUTE) {
  const clock = { now: 1_000_000 };
  const seen: { identityToken: string; tenant: string | undefined }[] = [];
  const exchange = async (identityToken: string, tenant?: string): Promise<ExchangedToken> => {
    seen.push({ identityToken, tenant });
    // An answer that takes a turn, as a server's does: concurrent callers overlap.
    await Promise.resolve();
    return {
      token: `hush_${seen.length}`,
      expiresAt: new Date(clock.now + lifeMs).toISOString(),
      role: "RUNNER",
      environments: null,
      tenant: "acme",
    };
  };
  return { clock, seen, exchange };
}

function tokensFromFile(
  options: Partial<IdentityTokensOptions> & { exchange: IdentityTokensOptions["exchange"] },
) {
  const dir = testDir({ token: "jwt-one\n" });
  const path = join(dir, "token");
  const tokens = new IdentityTokens({
    endpoint: ENDPOINT,
    source: { kind: "file", path },
    audience: "hush",
    env: {},
    ...options,
  });
  return { tokens, path };
}

describe("IdentityTokens from a token file", () => {
  it("exchanges on first use and keeps the token in memory until it is due", async () => {
    const server = standIn(15 * MINUTE);
    const { tokens } = tokensFromFile({ exchange: server.exchange, now: () => server.clock.now });
    expect(await tokens.token()).toBe("hush_1");
    server.clock.now += 11 * MINUTE;
    expect(await tokens.token()).toBe("hush_1");
    expect(server.seen).toHaveLength(1);
  });

  it("exchanges again when less than a fifth of the token's life is left", async () => {
    const server = standIn(15 * MINUTE);
    const { tokens } = tokensFromFile({ exchange: server.exchange, now: () => server.clock.now });
    await tokens.token();
    // 15 minutes: renewed with 3 minutes left.
    server.clock.now += 12 * MINUTE;
    expect(await tokens.token()).toBe("hush_2");
    expect(server.seen).toHaveLength(2);
  });

  it("renews a short-lived token a minute before it expires, a very short one at half its life", async () => {
    const short = standIn(4 * MINUTE);
    const a = tokensFromFile({ exchange: short.exchange, now: () => short.clock.now }).tokens;
    await a.token();
    short.clock.now += 3 * MINUTE - 1;
    expect(await a.token()).toBe("hush_1");
    short.clock.now += 1;
    expect(await a.token()).toBe("hush_2");

    const tiny = standIn(MINUTE);
    const b = tokensFromFile({ exchange: tiny.exchange, now: () => tiny.clock.now }).tokens;
    await b.token();
    tiny.clock.now += 29_999;
    expect(await b.token()).toBe("hush_1");
    tiny.clock.now += 1;
    expect(await b.token()).toBe("hush_2");
  });

  it("makes one exchange for concurrent requests", async () => {
    const server = standIn();
    const { tokens } = tokensFromFile({ exchange: server.exchange, now: () => server.clock.now });
    const all = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
    expect(all).toEqual(["hush_1", "hush_1", "hush_1"]);
    expect(server.seen).toHaveLength(1);
  });

  it("reads the file again at each exchange (Kubernetes rotates it), and passes the tenant", async () => {
    const server = standIn(15 * MINUTE);
    const { tokens, path } = tokensFromFile({
      exchange: server.exchange,
      now: () => server.clock.now,
      tenant: "acme",
    });
    await tokens.token();
    writeFileSync(path, "jwt-two");
    server.clock.now += 13 * MINUTE;
    await tokens.token();
    expect(server.seen).toEqual([
      { identityToken: "jwt-one", tenant: "acme" },
      { identityToken: "jwt-two", tenant: "acme" },
    ]);
  });

  it("exchanges again once after the server refuses the token", async () => {
    const server = standIn();
    const { tokens } = tokensFromFile({ exchange: server.exchange, now: () => server.clock.now });
    const first = await tokens.token();
    expect(tokens.refused(first)).toBe(true);
    expect(await tokens.token()).toBe("hush_2");
    // A token refused after it was replaced does not drop the new one.
    tokens.refused(first);
    expect(await tokens.token()).toBe("hush_2");
  });

  it("says when the file is missing or empty, naming the key", async () => {
    const server = standIn();
    const { tokens, path } = tokensFromFile({ exchange: server.exchange });
    writeFileSync(path, "  \n");
    const empty = await rejection(tokens.token());
    expect(empty).toBeInstanceOf(IdentityError);
    expect(empty).toMatchObject({ code: "IDENTITY_UNAVAILABLE" });
    expect(empty.message).toBe(
      `The identity token file ${path} ([cloud] identity_token_file) is empty; it should hold one JWT. Check that the platform writes the token there.`,
    );
    const missing = new IdentityTokens({
      endpoint: ENDPOINT,
      source: { kind: "file", path: `${path}.gone` },
      audience: "hush",
      env: {},
      exchange: server.exchange,
    });
    expect((await rejection(missing.token())).message).toContain(
      `${path}.gone ([cloud] identity_token_file) does not exist`,
    );
    expect(server.seen).toHaveLength(0);
  });

  it("says what to do when the server refuses the identity token, never showing it", async () => {
    const { tokens } = tokensFromFile({
      tenant: "acme",
      exchange: async (jwt) => {
        throw new HushError("UNAUTHENTICATED", `refused ${jwt}`);
      },
    });
    const error = await rejection(tokens.token());
    expect(error).toBeInstanceOf(IdentityError);
    expect(error.message).toMatch(
      /^The hush server at http:\/\/127\.0\.0\.1:4200 refused the identity token in .*token in tenant "acme" \(audience "hush" asked for\): refused \[identity token\] A tenant admin lists the trusts with `hush trust list`/,
    );
    expect(error.message).not.toContain("jwt-one");
  });
});

describe("IdentityTokens from GitHub Actions", () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it("asks the Actions endpoint for the audience with the request token", async () => {
    const issuer = await startTestIssuer();
    close = issuer.close;
    issuer.actionsClaims = { sub: "repo:acme/app:ref:refs/heads/main" };
    const server = standIn();
    const tokens = new IdentityTokens({
      endpoint: ENDPOINT,
      source: { kind: "github-actions" },
      audience: "hush prod",
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: issuer.actions.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.actions.requestToken,
      },
      exchange: server.exchange,
    });
    expect(await tokens.token()).toBe("hush_1");
    const [, payload] = (server.seen[0]?.identityToken ?? "").split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    expect(claims).toMatchObject({ aud: "hush prod", sub: "repo:acme/app:ref:refs/heads/main" });
    expect(issuer.requests.idToken).toBe(1);
  });

  it("says to give the job id-token: write when the variables are missing", async () => {
    const tokens = new IdentityTokens({
      endpoint: ENDPOINT,
      source: { kind: "github-actions" },
      audience: "hush",
      env: {},
      exchange: standIn().exchange,
    });
    const error = await rejection(tokens.token());
    expect(error).toMatchObject({ code: "IDENTITY_UNAVAILABLE" });
    expect(error.message).toContain("ACTIONS_ID_TOKEN_REQUEST_URL is not set");
    expect(error.message).toContain("permissions: id-token: write");
  });

  it("says GitHub refused, never showing the request token", async () => {
    const issuer = await startTestIssuer();
    close = issuer.close;
    const wrong = "not-the-request-token-0123456789";
    const tokens = new IdentityTokens({
      endpoint: ENDPOINT,
      source: { kind: "github-actions" },
      audience: "hush",
      env: {
        ACTIONS_ID_TOKEN_REQUEST_URL: issuer.actions.requestUrl,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: wrong,
      },
      exchange: standIn().exchange,
    });
    const error = await rejection(tokens.token());
    expect(error.message).toContain("GitHub answered HTTP 401");
    expectNoLeak(error, wrong, issuer.actions.requestToken);
  });
});
