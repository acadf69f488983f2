import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startTestIssuer } from "@hush/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { IssuerKeys, IssuerKeysError } from "./jwks-cache.js";

const POLICY = { allowPrivate: false };

/** A loopback server answering each path with the JSON `routes` give; counts requests. */
async function serve(routes: (url: string) => Record<string, unknown> | undefined) {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request.url ?? "");
    const body = routes(base);
    const answer = body?.[request.url ?? ""];
    response.writeHead(answer === undefined ? 404 : 200, { "content-type": "application/json" });
    response.end(typeof answer === "string" ? answer : JSON.stringify(answer ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe("IssuerKeys", () => {
  const closing: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  it("refuses a discovery document naming another issuer, or keys on a forbidden address", async () => {
    const other = await serve((base) => ({
      "/.well-known/openid-configuration": { issuer: `${base}/elsewhere`, jwks_uri: `${base}/k` },
    }));
    closing.push(other.close);
    const keys = new IssuerKeys({ policy: POLICY, clock: () => new Date() });
    await expect(keys.keys(other.base)).rejects.toThrow(/names another issuer/);

    const metadata = await serve((base) => ({
      "/.well-known/openid-configuration": {
        issuer: base,
        jwks_uri: "https://169.254.169.254/latest/meta-data",
      },
    }));
    closing.push(metadata.close);
    await expect(keys.keys(metadata.base)).rejects.toThrow(/always refused/);
    expect(metadata.requests).toEqual(["/.well-known/openid-configuration"]);
  });

  it("asks a failing issuer again only after 30 s, and once for concurrent callers", async () => {
    const broken = await serve(() => ({ "/.well-known/openid-configuration": "not json" }));
    closing.push(broken.close);
    let now = Date.now();
    const keys = new IssuerKeys({ policy: POLICY, clock: () => new Date(now) });
    const attempts = await Promise.allSettled([keys.keys(broken.base), keys.keys(broken.base)]);
    expect(attempts.every((a) => a.status === "rejected")).toBe(true);
    expect(broken.requests).toHaveLength(1);
    await expect(keys.keys(broken.base)).rejects.toBeInstanceOf(IssuerKeysError);
    expect(broken.requests).toHaveLength(1);
    now += 30_000;
    await expect(keys.keys(broken.base)).rejects.toThrow(/did not answer JSON/);
    expect(broken.requests).toHaveLength(2);
  });

  it("keeps discovery and keys for an hour", async () => {
    const issuer = await startTestIssuer();
    closing.push(() => issuer.close());
    let now = Date.now();
    const keys = new IssuerKeys({ policy: POLICY, clock: () => new Date(now) });
    await keys.keys(issuer.url);
    now += 59 * 60_000;
    await keys.keys(`${issuer.url}/`);
    expect(issuer.requests).toMatchObject({ discovery: 1, jwks: 1 });
    now += 2 * 60_000;
    await keys.keys(issuer.url);
    expect(issuer.requests).toMatchObject({ discovery: 2, jwks: 2 });
  });
});
