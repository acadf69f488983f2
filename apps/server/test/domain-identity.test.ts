import { rejection, startTestIssuer, type TestIssuer } from "@hush/test-support";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Caller, HushService, IdentityTrustInput } from "../src/index.js";
import { EXCHANGE_REFUSED } from "../src/service/identity-exchange.js";
import { describeBackends, type OpenedBackend } from "./support/backends.js";
import { rawSql } from "./support/raw-database.js";
import { type SeededTenant, seedTenant } from "./support/seed.js";

const SUBJECT = "repo:acme/app:ref:refs/heads/main";

const GITHUB = "https://token.actions.githubusercontent.com";
describeBackends("workload identity", (backend) => {
  let opened: OpenedBackend;
  let service: HushService;
  let issuer: TestIssuer;
  let acme: SeededTenant;
  let admin: Caller;
  // Real time plus what the test moved forward: the issuer signs with the real clock.
  let skew: number;

  const trust = (more: Partial<IdentityTrustInput> = {}) =>
    service.createIdentityTrust(admin, {
      issuer: issuer.url,
      audience: "hush",
      subject: SUBJECT,
      ...more,
    });
  const refusal = async (token: string, tenant: string | null = "acme") => {
    const error = await rejection(service.exchangeIdentityToken({ token, tenant }));
    return error as Error & { code: string };
  };

  beforeEach(async () => {
    skew = 0;
    issuer = await startTestIssuer();
    opened = await backend.open({ clock: () => new Date(Date.now() + skew) });
    service = opened.service;
    acme = await seedTenant(service, "acme");
    admin = acme.callers.TENANT_ADMIN;
    await service.setSecret(admin, "DB_URL", "postgres://app@db/acme");
  });
  afterEach(async () => {
    await opened.cleanup();
    await issuer.close();
  });

  describe("trusts", () => {
    it("creates, lists and deletes a trust, with its defaults, audited", async () => {
      const created = await trust({ claims: [{ name: "repository_owner", value: "acme" }] });
      expect(created).toMatchObject({
        issuer: issuer.url,
        audience: "hush",
        subject: SUBJECT,
        claims: [{ name: "repository_owner", value: "acme" }],
        role: "RUNNER",
        environments: null,
        ttlSeconds: 900,
        createdBy: "admin",
      });
      expect(await service.identityTrusts(admin)).toEqual([created]);
      await service.deleteIdentityTrust(admin, created.id);
      expect(await service.identityTrusts(admin)).toEqual([]);
      const events = await service.auditEvents(admin, { limit: 10, offset: 0 });
      expect(
        events
          .filter((e) => e.trustId !== null)
          .map((e) => [e.action, e.outcome, e.trustId, e.actor]),
      ).toEqual([
        ["DELETE_IDENTITY_TRUST", "SUCCESS", created.id, "admin"],
        ["CREATE_IDENTITY_TRUST", "SUCCESS", created.id, "admin"],
      ]);
    });

    it("refuses a TENANT_ADMIN role, saying why", async () => {
      const error = await rejection(trust({ role: "TENANT_ADMIN" }));
      expect(error).toMatchObject({ code: "BAD_USER_INPUT" });
      expect((error as Error).message).toMatch(/cannot issue TENANT_ADMIN tokens/);
      expect(await service.identityTrusts(admin)).toEqual([]);
    });

    it("refuses bad fields with what to do, and other roles than TENANT_ADMIN", async () => {
      const cases: Array<[Partial<IdentityTrustInput>, RegExp]> = [
        [{ issuer: "http://issuer.example.com" }, /use https:\/\//],
        [{ issuer: "https://10.1.2.3" }, /--allow-private-issuers/],
        [{ issuer: "https://169.254.169.254" }, /always refused/],
        [{ issuer: "https://issuer.example.com?x=1" }, /without a query/],
        [{ subject: "" }, /subject must be 1 to 255/],
        [{ subject: "x".repeat(256) }, /subject must be 1 to 255/],
        [{ ttlSeconds: 59 }, /60 \(1 minute\) to 43200/],
        [{ ttlSeconds: 43_201 }, /60 \(1 minute\) to 43200/],
        [{ environments: ["nope"] }, /no environment "nope"/],
        [{ claims: [{ name: "sub", value: "x" }] }, /checked by the trust itself/],
        [{ subject: "*" }, /subject of only \* trusts every workload/],
        [{ issuer: GITHUB, subject: "repo:*" }, /name the owner in the subject/],
        [
          { issuer: GITHUB, subject: "*", claims: [{ name: "repository_owner", value: "acme*" }] },
          /name the owner in the subject/,
        ],
        [
          { claims: Array.from({ length: 21 }, (_, i) => ({ name: `c${i}`, value: "v" })) },
          /at most 20 claims/,
        ],
      ];
      for (const [input, message] of cases) {
        const error = await rejection(trust(input));
        expect(error, JSON.stringify(input)).toMatchObject({ code: "BAD_USER_INPUT" });
        expect((error as Error).message).toMatch(message);
      }
      expect(await rejection(service.identityTrusts(acme.callers.USER))).toMatchObject({
        code: "FORBIDDEN",
      });
      expect(await service.identityTrusts(admin)).toEqual([]);
    });

    it("takes GitHub's issuer only with the owner pinned, in the subject or an exact claim", async () => {
      await trust({ issuer: GITHUB, subject: "repo:acme/*" });
      await trust({
        issuer: GITHUB,
        subject: "*:environment:production",
        claims: [{ name: "repository_owner", value: "acme" }],
      });
      expect((await service.identityTrusts(admin)).map((t) => t.subject)).toEqual([
        "repo:acme/*",
        "*:environment:production",
      ]);
    });

    it("keeps a tenant within 100 trusts, and a scoped admin within its environments", async () => {
      for (let i = 0; i < 100; i++) await trust({ subject: `repo:acme/app-${i}` });
      const over = await rejection(trust({ subject: "repo:acme/one-more" }));
      expect(over).toMatchObject({ code: "BAD_USER_INPUT" });
      expect(over.message).toMatch(/100 identity trusts/);
      expect(await service.identityTrusts(admin)).toHaveLength(100);

      await service.createEnvironment(admin, "staging");
      const scoped = await service.createApiToken(admin, {
        name: "staging-admin",
        role: "TENANT_ADMIN",
        environments: ["staging"],
      });
      const stagingAdmin = (await service.authenticate(scoped.token))!;
      const everywhere = await rejection(
        service.createIdentityTrust(stagingAdmin, {
          issuer: issuer.url,
          audience: "hush",
          subject: SUBJECT,
        }),
      );
      expect(everywhere).toMatchObject({ code: "FORBIDDEN" });
      expect(everywhere.message).toMatch(/only the environments staging/);
    });

    it("allows private issuers only with the flag", async () => {
      const allowed = await opened.reopen({ allowPrivateIssuers: true });
      const created = await allowed.createIdentityTrust(admin, {
        issuer: "https://10.1.2.3/issuer",
        audience: "hush",
        subject: SUBJECT,
      });
      expect(created.issuer).toBe("https://10.1.2.3/issuer");
    });
  });

  describe("exchange", () => {
    it("exchanges a valid token for an expiring token that reads secrets, audited without the JWT", async () => {
      const created = await trust({ environments: ["production"], ttlSeconds: 600 });
      const jwt = await issuer.sign({ aud: "hush", sub: SUBJECT });
      const issued = await service.exchangeIdentityToken({ token: jwt, tenant: "acme" });
      expect(issued).toMatchObject({
        role: "RUNNER",
        environments: ["production"],
        tenant: "acme",
      });
      expect(issued.expiresAt.getTime() - Date.now()).toBeGreaterThan(590_000);
      expect(issued.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(600_000);
      const caller = await service.authenticate(issued.token);
      expect(caller).toMatchObject({ tenantName: "acme", role: "RUNNER" });
      expect(await service.secretValue(caller!, "DB_URL")).toBe("postgres://app@db/acme");

      const tokens = await service.apiTokens(admin);
      const listed = tokens.find((t) => t.id === caller!.tokenId);
      expect(listed?.name).toMatch(/^oidc repo:acme\/app:ref:refs\/heads\/main #[0-9a-f]{6}$/);
      expect(listed?.expiresAt).toEqual(issued.expiresAt);

      const events = await service.auditEvents(admin, { limit: 20, offset: 0 });
      const exchange = events.find((e) => e.action === "EXCHANGE_IDENTITY_TOKEN");
      expect(exchange).toMatchObject({
        outcome: "SUCCESS",
        trustId: created.id,
        subject: SUBJECT,
        actor: listed?.name,
        actorTokenId: caller!.tokenId,
        tokenId: caller!.tokenId,
        tokenName: listed?.name,
      });
      // The JWT is kept nowhere: not in any column of any audit row, nor in the tokens table.
      const dump = JSON.stringify([
        await rawSql(opened, "select * from audit_events"),
        await rawSql(opened, "select * from api_tokens"),
      ]);
      expect(dump).not.toContain(jwt);
      expect(dump).not.toContain(jwt.split(".")[2]);
      expect(dump).not.toContain(issued.token);
    });

    it("refuses every failed check with one UNAUTHENTICATED message", async () => {
      await trust({ claims: [{ name: "repository_owner", value: "acme*" }] });
      const good = { aud: "hush", sub: SUBJECT, repository_owner: "acme" };
      const tampered = (await issuer.sign(good)).split(".");
      const forged = Buffer.from(JSON.stringify({ ...good, sub: "repo:evil/x", iss: issuer.url }));
      tampered[1] = forged.toString("base64url");
      const tokens: Record<string, string> = {
        "wrong audience": await issuer.sign({ ...good, aud: "other" }),
        "wrong subject": await issuer.sign({ ...good, sub: "repo:acme/app:ref:refs/heads/dev" }),
        "wrong issuer": await issuer.sign({ ...good, iss: `${issuer.url}/other` }),
        "tampered payload": tampered.join("."),
        "unknown kid": await issuer.sign(good, { kid: "unpublished" }),
        "alg none": issuer.unsigned(good),
        "HS256 with the public key": issuer.signHs256WithPublicKey(good),
        expired: await issuer.sign(good, { expiresIn: -60 }),
        "not yet valid": await issuer.sign(good, { notBefore: 120 }),
        "issued in the future": await issuer.sign(good, { issuedAt: 120 }),
        "expiring in more than a day": await issuer.sign(good, { expiresIn: 2 * 86_400 }),
        "no exp": await issuer.sign(good, { expiresIn: null }),
        "claim missing": await issuer.sign({ aud: "hush", sub: SUBJECT }),
        "claim not matching": await issuer.sign({ ...good, repository_owner: "evil" }),
        "claim not a string": await issuer.sign({ ...good, repository_owner: ["acme"] }),
        "not a JWT": "not.a.jwt",
      };
      for (const [what, token] of Object.entries(tokens)) {
        const error = await refusal(token);
        expect(error, what).toMatchObject({ code: "UNAUTHENTICATED", message: EXCHANGE_REFUSED });
      }
      // Within a minute's clock skew, a token is accepted.
      const skewed = await issuer.sign(good, { notBefore: 20, issuedAt: 20 });
      expect((await service.exchangeIdentityToken({ token: skewed, tenant: "acme" })).tenant).toBe(
        "acme",
      );
      // Nothing was issued for the refusals.
      const issued = (await service.apiTokens(admin)).filter((t) => t.name.startsWith("oidc"));
      expect(issued).toHaveLength(1);
    });

    it("fetches nothing for an issuer no trust names, nor for an unknown tenant", async () => {
      const other = await startTestIssuer();
      try {
        const jwt = await other.sign({ aud: "hush", sub: SUBJECT });
        expect((await refusal(jwt)).message).toBe(EXCHANGE_REFUSED);
        expect((await refusal(jwt, null)).message).toBe(EXCHANGE_REFUSED);
        expect(other.requests).toMatchObject({ discovery: 0, jwks: 0 });
        await trust();
        const known = await issuer.sign({ aud: "hush", sub: SUBJECT });
        expect((await refusal(known, "no-such-tenant")).message).toBe(EXCHANGE_REFUSED);
        expect(issuer.requests).toMatchObject({ discovery: 0, jwks: 0 });
      } finally {
        await other.close();
      }
    });

    it("keeps the keys, and fetches them again once per 30 s for an unknown kid (rotation)", async () => {
      await trust();
      const claims = { aud: "hush", sub: SUBJECT };
      await service.exchangeIdentityToken({ token: await issuer.sign(claims), tenant: "acme" });
      await service.exchangeIdentityToken({ token: await issuer.sign(claims), tenant: "acme" });
      expect(issuer.requests).toMatchObject({ discovery: 1, jwks: 1 });

      const kid = await issuer.rotate();
      const rotated = await issuer.sign(claims, { kid });
      // Fetched 0 s ago: not again yet, so the new key is not known.
      expect((await refusal(rotated)).message).toBe(EXCHANGE_REFUSED);
      expect(issuer.requests.jwks).toBe(1);
      skew += 31_000;
      expect((await service.exchangeIdentityToken({ token: rotated, tenant: "acme" })).tenant).toBe(
        "acme",
      );
      expect(issuer.requests).toMatchObject({ discovery: 1, jwks: 2 });
      // A key the issuer never publishes costs at most one fetch per 30 s.
      const unpublished = await issuer.sign(claims, { kid: "unpublished" });
      for (let i = 0; i < 5; i++) await refusal(unpublished);
      expect(issuer.requests.jwks).toBe(2);
      skew += 31_000;
      await refusal(unpublished);
      await refusal(unpublished);
      expect(issuer.requests).toMatchObject({ discovery: 1, jwks: 3 });
    });

    it("stops the issued token at its expiry, even while its check is cached", async () => {
      await trust({ ttlSeconds: 60 });
      const jwt = await issuer.sign({ aud: "hush", sub: SUBJECT });
      const issued = await service.exchangeIdentityToken({ token: jwt, tenant: "acme" });
      expect(await service.authenticate(issued.token)).toBeDefined();
      skew += 55_000;
      // Checked (and cached) 5 s before the expiry…
      expect(await service.authenticate(issued.token)).toBeDefined();
      skew += 5_000;
      // …and refused at it.
      expect(await service.authenticate(issued.token)).toBeUndefined();

      // A day after it expired, the sweep deletes it; its audit event keeps its name.
      const issuedName = (await service.apiTokens(admin)).find((t) => t.name.startsWith("oidc"));
      skew += 86_400_000 - 1_000;
      await service.pruneAuditEvents();
      expect((await service.apiTokens(admin)).map((t) => t.name)).toContain(issuedName?.name);
      skew += 2_000;
      await service.pruneAuditEvents();
      expect((await service.apiTokens(admin)).map((t) => t.name)).not.toContain(issuedName?.name);
      const events = await service.auditEvents(admin, {
        limit: 10,
        offset: 0,
        action: "EXCHANGE_IDENTITY_TOKEN",
      });
      expect(events.map((e) => e.actor)).toEqual([issuedName?.name]);
    });

    it("picks the most specific trust of a tenant, and asks to name the tenant when several match", async () => {
      const glob = await trust({ subject: "repo:acme/*", role: "READ_ONLY_USER" });
      const exact = await trust({ role: "USER" });
      const jwt = await issuer.sign({ aud: "hush", sub: SUBJECT });
      expect((await service.exchangeIdentityToken({ token: jwt, tenant: null })).role).toBe("USER");
      await service.deleteIdentityTrust(admin, exact.id);
      expect((await service.exchangeIdentityToken({ token: jwt })).role).toBe("READ_ONLY_USER");
      expect(glob.id).toBeDefined();

      const globex = await seedTenant(service, "globex");
      await service.createIdentityTrust(globex.callers.TENANT_ADMIN, {
        issuer: `${issuer.url}/`,
        audience: "hush",
        subject: "repo:acme/*",
      });
      const ambiguous = await refusal(jwt, null);
      expect(ambiguous).toMatchObject({ code: "UNAUTHENTICATED" });
      expect(ambiguous.message).toMatch(/name the tenant/);
      expect((await service.exchangeIdentityToken({ token: jwt, tenant: "globex" })).tenant).toBe(
        "globex",
      );
    });

    it("names the issued token and audits the subject safely, whatever the subject holds", async () => {
      await trust({ subject: "repo:*" });
      const token = `hush_${"A".repeat(43)}`;
      const hostile = `repo:\u202Eevil\u0007/${"x".repeat(300)}${token}`;
      const jwt = await issuer.sign({ aud: "hush", sub: hostile });
      const issued = await service.exchangeIdentityToken({ token: jwt, tenant: "acme" });
      const caller = await service.authenticate(issued.token);
      expect(caller?.tokenName).toMatch(/^oidc repo:evil\/x+… #[0-9a-f]{6}$/);
      expect(caller?.tokenName.length).toBeLessThanOrEqual(100);
      const [event] = await service.auditEvents(admin, {
        limit: 1,
        offset: 0,
        action: "EXCHANGE_IDENTITY_TOKEN",
      });
      expect(event?.subject?.length).toBeLessThanOrEqual(255);
      expect(event?.subject).toMatch(/^repo:\uFFFDevil\uFFFD\/x+…$/);

      // Cut where a character of two UTF-16 units would be split: the name keeps it whole or not at all.
      const emoji = await issuer.sign({ aud: "hush", sub: `repo:${"é".repeat(80)}😀😀` });
      const cutName = (
        await service.authenticate(
          (
            await service.exchangeIdentityToken({ token: emoji, tenant: "acme" })
          ).token,
        )
      )?.tokenName;
      expect(cutName).toMatch(/^oidc repo:é+(?:😀)?… #[0-9a-f]{6}$/u);

      const short = await issuer.sign({ aud: "hush", sub: `repo:${token}` });
      const named = await service.exchangeIdentityToken({ token: short, tenant: "acme" });
      expect((await service.authenticate(named.token))?.tokenName).toMatch(/^oidc #[0-9a-f]{6}$/);
      const [second] = await service.auditEvents(admin, {
        limit: 1,
        offset: 0,
        action: "EXCHANGE_IDENTITY_TOKEN",
      });
      expect(second?.subject).toBe("repo:hush_…");
      const refused = await rejection(trust({ subject: `repo:${token}` }));
      expect(refused).toMatchObject({ code: "BAD_USER_INPUT" });
      expect(refused.message).not.toContain(token);
    });

    it("limits exchanges per client address", async () => {
      const bad = "not.a.jwt";
      for (let i = 0; i < 60; i++) {
        await rejection(service.exchangeIdentityToken({ token: bad }, { address: "192.0.2.1" }));
      }
      const limited = await rejection(
        service.exchangeIdentityToken({ token: bad }, { address: "192.0.2.1" }),
      );
      expect(limited).toMatchObject({
        code: "RATE_LIMITED",
        extensions: { scope: "address", retryAfterSeconds: expect.any(Number) },
      });
      // Another address is not limited.
      expect(
        await rejection(service.exchangeIdentityToken({ token: bad }, { address: "192.0.2.2" })),
      ).toMatchObject({ code: "UNAUTHENTICATED" });
    });
  });
});
