import { Writable } from "node:stream";
import { startTestIssuer, type TestIssuer } from "@hush/test-support";
import pino from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ServerMetrics } from "../src/index.js";
import { EXCHANGE_REFUSED } from "../src/service/identity-exchange.js";
import { type ApiFixture, codes, fieldOf, openApi } from "./api-support.js";
import { describeBackends } from "./support/backends.js";

const SUBJECT = "repo:acme/app:ref:refs/heads/main";

const CREATE = `mutation($issuer: String!, $subject: String!, $role: Role) {
  createIdentityTrust(input: {issuer: $issuer, audience: "hush", subject: $subject, role: $role,
    environments: ["production"], ttlSeconds: 300}) {
    id issuer audience subject claims { name value } role environments ttlSeconds created createdBy
  }
}`;
const EXCHANGE = `mutation($token: String!, $tenant: String) {
  exchangeIdentityToken(input: {token: $token, tenant: $tenant}) {
    token expiresAt role environments tenant
  }
}`;

describeBackends("identity trusts over the API", (backend) => {
  const lines: string[] = [];
  let api: ApiFixture;
  let issuer: TestIssuer;
  const metrics = new ServerMetrics();

  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    issuer = await startTestIssuer();
    api = await openApi(backend, {
      logger: pino({ level: "debug" }, stream),
      service: { metrics },
    });
    await api.service.setSecret(api.acme.callers.TENANT_ADMIN, "DB_URL", "postgres://acme");
  });
  afterAll(async () => {
    await api.close();
    await issuer.close();
  });

  it("lets a tenant admin create and list trusts, and no one else", async () => {
    const variables = { issuer: issuer.url, subject: SUBJECT };
    const refused = await api.gql(CREATE, { token: api.acme.tokens.USER, variables });
    expect(codes(refused)).toEqual(["FORBIDDEN"]);
    const admin = await api.gql(CREATE, {
      token: api.acme.tokens.TENANT_ADMIN,
      variables: { ...variables, role: "TENANT_ADMIN" },
    });
    expect(codes(admin)).toEqual(["BAD_USER_INPUT"]);
    const created = fieldOf<{ id: string }>(
      await api.gql(CREATE, { token: api.acme.tokens.TENANT_ADMIN, variables }),
      "createIdentityTrust",
    );
    expect(created).toMatchObject({
      issuer: issuer.url,
      role: "RUNNER",
      environments: ["production"],
      ttlSeconds: 300,
      claims: [],
      createdBy: "admin",
    });
    const listed = await api.gql("{ identityTrusts { id } }", {
      token: api.acme.tokens.TENANT_ADMIN,
    });
    expect(fieldOf(listed, "identityTrusts")).toEqual([{ id: created.id }]);
    const other = await api.gql("{ identityTrusts { id } }", {
      token: api.globex.tokens.TENANT_ADMIN,
    });
    expect(fieldOf(other, "identityTrusts")).toEqual([]);
  });

  it("exchanges without an Authorization header; the token reads secrets", async () => {
    const jwt = await issuer.sign({ aud: "hush", sub: SUBJECT });
    const response = await api.gql(EXCHANGE, { variables: { token: jwt, tenant: "acme" } });
    const issued = fieldOf<{ token: string; expiresAt: string }>(response, "exchangeIdentityToken");
    expect(issued).toMatchObject({ role: "RUNNER", environments: ["production"], tenant: "acme" });
    expect(Date.parse(issued.expiresAt)).toBeGreaterThan(Date.now() + 290_000);
    const read = await api.gql('{ secretValue(name: "DB_URL") }', { token: issued.token });
    expect(fieldOf(read, "secretValue")).toBe("postgres://acme");
    // Audited with its trust and subject; the JWT is in no answer and no log line.
    const events = await api.gql(
      "{ auditEvents(action: EXCHANGE_IDENTITY_TOKEN) { trustId subject tokenName actor } }",
      { token: api.acme.tokens.TENANT_ADMIN },
    );
    const [event] = fieldOf<Array<Record<string, string>>>(events, "auditEvents");
    expect(event).toMatchObject({ subject: SUBJECT, trustId: expect.any(String) });
    expect(event?.tokenName).toBe(event?.actor);
    expect(lines.join("\n")).not.toContain(jwt.split(".")[2]);
    expect(lines.join("\n")).not.toContain(issued.token);
  });

  it("refuses with one message, logging why at debug level without the token", async () => {
    const jwt = await issuer.sign({ aud: "other", sub: SUBJECT });
    const response = await api.gql(EXCHANGE, { variables: { token: jwt, tenant: "acme" } });
    expect(response.body.errors?.[0]).toMatchObject({
      message: EXCHANGE_REFUSED,
      extensions: { code: "UNAUTHENTICATED" },
    });
    const refusals = lines.filter((line) => line.includes("identity token refused"));
    expect(refusals.at(-1)).toContain("no trust matches the claims");
    expect(JSON.parse(refusals.at(-1) as string)).toMatchObject({ level: 20, iss: issuer.url });
    expect(lines.join("\n")).not.toContain(jwt.split(".")[2]);
    expect(lines.join("\n")).not.toContain(jwt.split(".")[1]);
  });

  it("counts exchanges by outcome", async () => {
    const scraped = await metrics.scrape();
    expect(scraped).toMatch(/hush_identity_exchanges_total\{outcome="issued"\} [1-9]/);
    expect(scraped).toMatch(/hush_identity_exchanges_total\{outcome="refused"\} [1-9]/);
  });
});
