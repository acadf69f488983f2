import { type HushServerProcess, startHushServer, startTestIssuer } from "@hush/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { childEnv, graphql, runBin, testDir } from "./support/bin.js";

const SUBJECT = "repo:acme/app:ref:refs/heads/main";

describe("hush-server start: workload identity", { timeout: 60_000 }, () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("exchanges an issuer's token with no Authorization header for a token that reads secrets", async () => {
    const { dir, cleanup } = await testDir();
    cleanups.push(cleanup);
    const issuer = await startTestIssuer();
    cleanups.push(() => issuer.close());
    const env = childEnv(dir);
    const initialised = await runBin(["init", "--json"], { cwd: dir, env });
    const admin = JSON.parse(initialised.stdout).token as string;
    const trust = await runBin(
      ["trust", "create", "--issuer", issuer.url, "--audience", "hush", "--subject", SUBJECT],
      { cwd: dir, env },
    );
    expect(trust).toMatchObject({ code: 0, stderr: "" });
    const server: HushServerProcess = await startHushServer([], { cwd: dir, env });
    cleanups.push(() => server.stop("SIGKILL"));
    await graphql(
      server.url,
      admin,
      'mutation { setSecret(input: {name: "A", value: "a"}) { success } }',
    );

    const jwt = await issuer.sign({ aud: "hush", sub: SUBJECT });
    const response = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query:
          "mutation($t: String!) { exchangeIdentityToken(input: {token: $t}) { token tenant role } }",
        variables: { t: jwt },
      }),
    });
    const body = (await response.json()) as {
      data: { exchangeIdentityToken: { token: string; tenant: string; role: string } };
    };
    expect(body.data.exchangeIdentityToken).toMatchObject({ tenant: "default", role: "RUNNER" });
    const read = await graphql(
      server.url,
      body.data.exchangeIdentityToken.token,
      '{ secretValue(name: "A") }',
    );
    expect(read).toEqual({ data: { secretValue: "a" } });
    const { stdout } = await server.stop("SIGTERM");
    expect(stdout).not.toContain(jwt.split(".")[2]);
    expect(stdout).not.toContain(body.data.exchangeIdentityToken.token);
  });
});
