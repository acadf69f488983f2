import { createClient } from "@hush/graphql";
import { startTestIssuer, type TestIssuer } from "@hush/test-support";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  EARLIER_LINES,
  masksOf,
  parseFileCommand,
  runBuiltAction,
  shownText,
  startTestServer,
  type TestServer,
} from "./support.js";

const SUBJECT = "repo:acme/app:ref:refs/heads/main";
const DB_URL = "postgres://deploy:s3cret-pw@db.internal/app";

describe("the built action, with the job's OpenID Connect token", { timeout: 60_000 }, () => {
  let server: TestServer;
  let issuer: TestIssuer;
  let actionsEnv: Record<string, string>;

  beforeAll(async () => {
    [server, issuer] = await Promise.all([startTestServer(), startTestIssuer()]);
    const admin = createClient({ endpoint: server.url, apiKey: server.adminToken });
    await admin.setSecrets([{ name: "DB_URL", value: DB_URL }]);
    await server.cli([
      "trust",
      "create",
      "--issuer",
      issuer.url,
      "--audience",
      "hush",
      "--subject",
      SUBJECT,
      "--role",
      "RUNNER",
    ]);
    actionsEnv = {
      ACTIONS_ID_TOKEN_REQUEST_URL: issuer.actions.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.actions.requestToken,
    };
  });
  afterAll(() => Promise.all([server?.stop(), issuer?.close()]));
  beforeEach(() => {
    issuer.actionsClaims = { sub: SUBJECT, repository: "acme/app", ref: "refs/heads/main" };
  });

  it("exchanges the job's token for a hush token, masks both, and exports", async () => {
    const asked = issuer.requests.idToken;
    const run = await runBuiltAction({ endpoint: server.url, secrets: "DB_URL" }, actionsEnv);

    expect(run.stdout).not.toContain("::error::");
    expect(run.code).toBe(0);
    expect(issuer.requests.idToken).toBe(asked + 1);
    expect(parseFileCommand(run.githubEnv)).toEqual({
      EARLIER: "from an earlier step",
      DB_URL,
    });
    // The ID token first, then the hush token it was exchanged for, then the value.
    const [idToken, hushToken, ...values] = masksOf(run.stdout);
    expect(idToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(hushToken).toMatch(/^hush_/);
    expect(values).toContain(DB_URL);
    const shown = shownText(run);
    for (const hidden of [idToken!, hushToken!, issuer.actions.requestToken, DB_URL]) {
      expect(shown).not.toContain(hidden);
    }
  });

  it("asks GitHub for the audience input, which the trust must name", async () => {
    const run = await runBuiltAction(
      { endpoint: server.url, secrets: "DB_URL", audience: "not-hush" },
      actionsEnv,
    );

    expect(run.code).toBe(1);
    expect(run.githubEnv).toBe(EARLIER_LINES);
    expect(run.stdout).toContain(`audience not-hush, subject ${SUBJECT}`);
  });

  it("names the subject a refused job has, and the trust that would let it in", async () => {
    issuer.actionsClaims = { sub: "repo:acme/app:pull_request" };
    const run = await runBuiltAction({ endpoint: server.url, secrets: "DB_URL" }, actionsEnv);

    expect(run.code).toBe(1);
    expect(run.githubEnv).toBe(EARLIER_LINES);
    expect(run.githubOutput).toBe(EARLIER_LINES);
    const [error] = run.stdout.split("\n").filter((l) => l.startsWith("::error::"));
    // The server's own reason, not the client's advice about API keys.
    expect(error).toContain("The identity token was not accepted");
    expect(error).not.toContain("apiKey");
    expect(error).toContain(
      `hush-server trust create --issuer ${issuer.url} --audience hush --subject 'repo:acme/app:pull_request'`,
    );
    const [idToken] = masksOf(run.stdout);
    expect(shownText(run)).not.toContain(idToken);
  });
});

describe("the built action, when GitHub gives no ID token", () => {
  it("fails with the endpoint's answer, printing neither request token", async () => {
    const issuer = await startTestIssuer();
    try {
      const run = await runBuiltAction(
        { endpoint: "http://127.0.0.1:9" },
        {
          ACTIONS_ID_TOKEN_REQUEST_URL: issuer.actions.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: "not-the-request-token",
        },
      );

      expect(run.code).toBe(1);
      expect(run.stdout).toBe(
        "::error::GitHub's ID-token endpoint answered HTTP 401; the job's OpenID Connect token could not be read.\n",
      );
      expect(run.githubEnv).toBe(EARLIER_LINES);
    } finally {
      await issuer.close();
    }
  });
});
