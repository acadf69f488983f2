import { afterEach, describe, expect, it } from "vitest";
import { ServerMetrics } from "../src/metrics/server-metrics.js";
import { type ApiFixture, openApi } from "./api-support.js";
import { testBackends } from "./support/backends.js";

// Rate limits are counted in the process, whatever the database: SQLite is enough.
const sqlite = testBackends().find((b) => b.name === "sqlite")!;
const BAD_TOKEN = "hush_CANARYnotAtokenCANARYnotAtokenCANARYnotAtoken1";

describe("rate limits", () => {
  let api: ApiFixture;
  afterEach(async () => {
    await api.close();
  });

  const names = (token: string, ip = "10.0.0.1") =>
    api.app.inject({
      method: "POST",
      url: "/graphql",
      remoteAddress: ip,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      payload: JSON.stringify({ query: "{ secretNames }" }),
    });

  it("answers 429 with Retry-After past a token's limit; other tokens go on", async () => {
    const metrics = new ServerMetrics();
    api = await openApi(sqlite, {
      app: {
        metrics,
        rateLimits: { perToken: 3, perAddress: 0, authFailures: 0, windowSeconds: 60 },
      },
    });
    const { USER, RUNNER } = api.acme.tokens;
    for (let i = 0; i < 3; i++) expect((await names(USER)).statusCode).toBe(200);
    const refused = await names(USER);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(refused.json().errors[0].extensions.code).toBe("RATE_LIMITED");
    expect(refused.body).not.toContain(USER);
    expect((await names(RUNNER)).statusCode).toBe(200);
    // Probes are never limited.
    expect((await api.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    expect(await metrics.scrape()).toContain('hush_rate_limited_total{limit="token"} 1');
  });

  it("limits requests per client address", async () => {
    api = await openApi(sqlite, {
      app: { rateLimits: { perToken: 0, perAddress: 2, authFailures: 0, windowSeconds: 60 } },
    });
    const { USER, RUNNER } = api.acme.tokens;
    expect((await names(USER, "10.0.0.7")).statusCode).toBe(200);
    expect((await names(RUNNER, "10.0.0.7")).statusCode).toBe(200);
    expect((await names(RUNNER, "10.0.0.7")).statusCode).toBe(429);
    expect((await names(RUNNER, "10.0.0.8")).statusCode).toBe(200);
  });

  const badToken = (n: number) =>
    `hush_CANARYnotAtokenCANARYnotAtokenCANARY${String(n).padStart(7, "0")}`;

  it("refuses a token that keeps failing, alone: the address's valid tokens go on", async () => {
    api = await openApi(sqlite, {
      app: { rateLimits: { perToken: 0, perAddress: 0, authFailures: 2 } },
    });
    const { USER, RUNNER } = api.acme.tokens;
    // A revoked CI token retrying from a shared address.
    for (let i = 0; i < 2; i++) {
      const retry = await names(BAD_TOKEN);
      expect(retry.statusCode).toBe(200);
      expect(retry.json().errors[0].extensions.code).toBe("UNAUTHENTICATED");
    }
    for (let i = 0; i < 30; i++) {
      const refused = await names(BAD_TOKEN);
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(1);
      expect(refused.body).not.toContain(BAD_TOKEN);
    }
    expect((await names(USER)).statusCode).toBe(200);
    expect((await names(RUNNER)).statusCode).toBe(200);
    // Another address may still try that token.
    expect((await names(BAD_TOKEN, "10.0.0.2")).statusCode).toBe(200);
  });

  it("slows down guessing: past N different invalid tokens, an address's unknown tokens get 429", async () => {
    api = await openApi(sqlite, {
      app: { rateLimits: { perToken: 0, perAddress: 0, authFailures: 2 } },
    });
    const { USER, RUNNER } = api.acme.tokens;
    expect((await names(USER)).statusCode).toBe(200);
    for (let n = 0; n < 2; n++) expect((await names(badToken(n))).statusCode).toBe(200);
    const guess = await names(badToken(2));
    expect(guess.statusCode).toBe(429);
    expect(Number(guess.headers["retry-after"])).toBeGreaterThan(1);
    // A token that authenticated on this server before goes on; one it has not seen waits, so
    // that a 429 or a 200 tells a guesser nothing.
    expect((await names(USER)).statusCode).toBe(200);
    expect((await names(RUNNER)).statusCode).toBe(429);
    // Another address is not affected.
    expect((await names(RUNNER, "10.0.0.2")).statusCode).toBe(200);
  });

  it("believes X-Forwarded-For only from a trusted proxy", async () => {
    api = await openApi(sqlite, {
      app: {
        rateLimits: { perToken: 0, perAddress: 1, authFailures: 0, windowSeconds: 60 },
        trustProxy: "10.0.0.1",
      },
    });
    const { USER } = api.acme.tokens;
    const viaProxy = (client: string) =>
      api.app.inject({
        method: "POST",
        url: "/graphql",
        remoteAddress: "10.0.0.1",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${USER}`,
          "x-forwarded-for": client,
        },
        payload: JSON.stringify({ query: "{ secretNames }" }),
      });
    expect((await viaProxy("192.0.2.1")).statusCode).toBe(200);
    expect((await viaProxy("192.0.2.2")).statusCode).toBe(200);
    expect((await viaProxy("192.0.2.1")).statusCode).toBe(429);
  });

  it("is off unless asked for", async () => {
    api = await openApi(sqlite);
    for (let i = 0; i < 30; i++) expect((await names(BAD_TOKEN)).statusCode).toBe(200);
  });
});
