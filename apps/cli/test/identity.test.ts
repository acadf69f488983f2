import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startRealServer } from "@hush/integration-tests/real-server";
import {
  HUSH_SERVER_BIN,
  startHushServer,
  startTestIssuer,
  type TestIssuer,
  testDir,
} from "@hush/test-support";
import { afterEach, describe, expect, it } from "vitest";
import { hush } from "./hush.js";
import { hushInProcess } from "./in-process.js";

const WORKER = "system:serviceaccount:apps:worker";

let issuer: TestIssuer | undefined;
afterEach(async () => {
  await issuer?.close();
  issuer = undefined;
});

/**
 * A real server with a secret, a local issuer, and a trust of it for `subject` created by the
 * tenant admin with `hush trust create`; a home whose config names the server only.
 */
async function trusted(subject: string, extra: string[] = []) {
  const server = await startRealServer({ secrets: { DB_URL: "postgres://s3cret@db/app" } });
  issuer = await startTestIssuer();
  const home = testDir({ ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\n` });
  const admin = { HUSH__CLOUD__API_KEY: server.tokens.TENANT_ADMIN };
  const created = await hushInProcess(
    [
      "trust",
      "create",
      "--issuer",
      issuer.url,
      "--audience",
      "hush",
      "--subject",
      subject,
      ...extra,
      "--json",
    ],
    { home, env: admin },
  );
  expect(created.stderr).toBe("");
  expect(created.code).toBe(0);
  const trust = JSON.parse(created.stdout) as { id: string };
  return { server, issuer, home, admin, trustId: trust.id };
}

/** A Kubernetes-like projected token file holding a JWT for `sub`. */
async function tokenFile(issuer: TestIssuer, sub: string, aud = "hush") {
  const jwt = await issuer.sign({ aud, sub });
  const path = join(testDir({ token: jwt }), "token");
  return { jwt, path };
}

describe("hush with a workload identity and no API key", () => {
  it("reads secrets with an identity token file, and whoami says where the token comes from", async () => {
    const { home, issuer } = await trusted("system:serviceaccount:apps:*", ["--role", "RUNNER"]);
    const { jwt, path } = await tokenFile(issuer, WORKER);
    const env = { HUSH__CLOUD__IDENTITY_TOKEN_FILE: path };
    const got = await hushInProcess(["secrets", "get", "DB_URL", "--cloud"], { home, env });
    expect(got.stderr).toBe("");
    expect(got).toMatchObject({ code: 0, stdout: "postgres://s3cret@db/app\n" });

    const list = await hushInProcess(["secrets", "list", "--cloud", "--json"], { home, env });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).map((s: { name: string }) => s.name)).toEqual(["DB_URL"]);

    const whoami = await hushInProcess(["whoami", "--json"], { home, env });
    const who = JSON.parse(whoami.stdout);
    expect(who.role).toBe("RUNNER");
    expect(who.tokenFrom).toBe(`the identity token in ${path} (HUSH__CLOUD__IDENTITY_TOKEN_FILE)`);
    expect(whoami.stdout + whoami.stderr).not.toContain(jwt);

    const doctor = await hushInProcess(["config", "doctor"], { home, env });
    expect(doctor.stdout).toMatch(
      /^ok +credential: no API token is set, so tokens are exchanged for the identity token in /m,
    );
    expect(doctor.stdout).toMatch(/^ok +token: valid: .*role RUNNER/m);
  });

  it("uses an explicit API key over the identity", async () => {
    const { home, issuer, server } = await trusted(WORKER);
    const { path } = await tokenFile(issuer, WORKER);
    const env = {
      HUSH__CLOUD__IDENTITY_TOKEN_FILE: path,
      HUSH__CLOUD__API_KEY: server.tokens.USER,
    };
    const who = JSON.parse((await hushInProcess(["whoami", "--json"], { home, env })).stdout);
    expect(who).toMatchObject({ role: "USER", tokenFrom: "HUSH__CLOUD__API_KEY" });
    expect(issuer.requests.jwks).toBe(0);
  });

  it("asks GitHub Actions for its token with [cloud] identity = github-actions", async () => {
    const { home, issuer } = await trusted("repo:acme/app:*", ["--claim", "repository_owner=acme"]);
    issuer.actionsClaims = { sub: "repo:acme/app:ref:refs/heads/main", repository_owner: "acme" };
    const env = {
      HUSH__CLOUD__IDENTITY: "github-actions",
      ACTIONS_ID_TOKEN_REQUEST_URL: issuer.actions.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: issuer.actions.requestToken,
    };
    const got = await hushInProcess(["secrets", "get", "DB_URL", "--cloud"], { home, env });
    expect(got).toMatchObject({ code: 0, stdout: "postgres://s3cret@db/app\n" });
    expect(issuer.requests.idToken).toBe(1);

    const outside = await hushInProcess(["secrets", "get", "DB_URL", "--cloud"], {
      home,
      env: { HUSH__CLOUD__IDENTITY: "github-actions" },
    });
    expect(outside.code).toBe(4);
    expect(outside.stderr).toContain("ACTIONS_ID_TOKEN_REQUEST_URL is not set");
    expect(outside.stderr).toContain("permissions: id-token: write");
  });

  it("says what to do when no trust matches, never printing the identity token", async () => {
    const { home, issuer } = await trusted(WORKER);
    const { jwt, path } = await tokenFile(issuer, "system:serviceaccount:other:intruder");
    const env = { HUSH__CLOUD__IDENTITY_TOKEN_FILE: path };
    const refused = await hushInProcess(["secrets", "get", "DB_URL", "--cloud"], { home, env });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(`refused the identity token in ${path}`);
    expect(refused.stderr).toContain("hush trust list");
    expect(refused.stdout + refused.stderr).not.toContain(jwt);
    expect(refused.stdout + refused.stderr).not.toContain("s3cret");
  });
  it("renders hush inject with the identity, in the command's environment and one it names", async () => {
    const { home, issuer } = await trusted("system:serviceaccount:apps:*");
    const { jwt, path } = await tokenFile(issuer, WORKER);
    const env = { HUSH__CLOUD__IDENTITY_TOKEN_FILE: path };
    const template = join(
      testDir({ "app.tpl": "a={{ hush://DB_URL }}\nb={{ hush://production/DB_URL }}\n" }),
      "app.tpl",
    );
    const rendered = await hushInProcess(["inject", "-i", template], { home, env });
    expect(rendered.stderr).toBe("");
    expect(rendered).toMatchObject({
      code: 0,
      stdout: "a=postgres://s3cret@db/app\nb=postgres://s3cret@db/app\n",
    });
    expect(rendered.stdout + rendered.stderr).not.toContain(jwt);
  });
});

describe("hush login --oidc", () => {
  it("saves the exchanged token with its expiry, never the identity token; an expired one says to log in again", async () => {
    const { home, issuer } = await trusted(WORKER, ["--ttl", "10m"]);
    const { jwt, path } = await tokenFile(issuer, WORKER);
    const login = await hushInProcess(["login", "--oidc", "--identity-token-file", path], { home });
    expect(login.code).toBe(0);
    expect(login.stderr).toMatch(
      new RegExp(
        `^Logged in to .* with the identity token in ${path}: role RUNNER in tenant "acme", environments all\\. The token expires at \\S+ \\(in 10 minutes\\)`,
      ),
    );
    const authFile = join(home, ".hush", "auth.toml");
    const saved = readFileSync(authFile, "utf8");
    expect(saved).toMatch(/api_key = "hush_/);
    expect(saved).toMatch(/expires_at = "/);
    expect(saved).not.toContain(jwt);

    // The file is gone from the environment: the saved token alone serves.
    const got = await hushInProcess(["secrets", "get", "DB_URL", "--cloud"], { home });
    expect(got).toMatchObject({ code: 0, stdout: "postgres://s3cret@db/app\n" });

    writeFileSync(
      authFile,
      saved.replace(/expires_at = "[^"]*"/, 'expires_at = "2020-01-01T00:00:00.000Z"'),
      {
        mode: 0o600,
      },
    );
    const expired = await hushInProcess(["secrets", "get", "DB_URL", "--cloud"], { home });
    expect(expired.code).toBe(4);
    expect(expired.stderr).toContain(
      "expired at 2020-01-01T00:00:00.000Z. Run `hush login --oidc` again",
    );
  });

  it("needs an identity token to exchange", async () => {
    const home = testDir({});
    const result = await hushInProcess(["login", "--oidc"], { home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("pass --identity-token-file FILE");
    const mixed = await hushInProcess(["login", "--audience", "x"], { home });
    expect(mixed).toMatchObject({ code: 2 });
    expect(mixed.stderr).toContain("--audience goes with --oidc");
  });
});

describe("hush trust", () => {
  it("lists and deletes trusts; a deleted trust exchanges nothing more", async () => {
    const { home, admin, trustId, issuer } = await trusted(WORKER, [
      "--env",
      "production, production",
      "--env",
      "production",
      "--ttl",
      "1h",
    ]);
    const list = JSON.parse(
      (await hushInProcess(["trust", "list", "--json"], { home, env: admin })).stdout,
    );
    expect(list).toEqual([
      expect.objectContaining({
        id: trustId,
        issuer: issuer.url,
        subject: WORKER,
        role: "RUNNER",
        environments: ["production"],
        ttlSeconds: 3600,
      }),
    ]);
    const table = await hushInProcess(["trust", "list"], { home, env: admin });
    expect(table.stdout).toContain(WORKER);

    expect((await hushInProcess(["trust", "delete", trustId], { home, env: admin })).code).toBe(0);
    const { path } = await tokenFile(issuer, WORKER);
    const refused = await hushInProcess(["whoami"], {
      home,
      env: { HUSH__CLOUD__IDENTITY_TOKEN_FILE: path },
    });
    expect(refused.code).toBe(4);
    expect((await hushInProcess(["trust", "list"], { home, env: admin })).stdout).toContain(
      "No identity trusts",
    );
  });

  it("checks --ttl and --claim before asking the server", async () => {
    const home = testDir({});
    const ttl = await hushInProcess(
      [
        "trust",
        "create",
        "--issuer",
        "https://i",
        "--audience",
        "a",
        "--subject",
        "s",
        "--ttl",
        "soon",
      ],
      { home },
    );
    expect(ttl).toMatchObject({ code: 2 });
    expect(ttl.stderr).toContain("--ttl takes a number of seconds");
    const claim = await hushInProcess(
      [
        "trust",
        "create",
        "--issuer",
        "https://i",
        "--audience",
        "a",
        "--subject",
        "s",
        "--claim",
        "owner",
      ],
      { home },
    );
    expect(claim.stderr).toContain("--claim takes name=value");
  });
});

describe("the built hush with an identity token file", () => {
  it("runs a program and exports with the secrets, no API key anywhere", async () => {
    const { home, issuer, server } = await trusted(WORKER);
    const { jwt, path } = await tokenFile(issuer, WORKER);
    writeFileSync(
      join(home, ".hush/config.toml"),
      `[cloud]\nendpoint = "${server.url}"\nuse_local_secrets = false\nidentity_token_file = "${path}"\n`,
    );
    const run = await hush(
      ["run", "--", process.execPath, "-e", "process.stdout.write(process.env.DB_URL)"],
      { home },
    );
    expect(run).toMatchObject({ code: 0, stdout: "postgres://s3cret@db/app" });
    const exported = await hush(["export", "--format", "dotenv"], { home });
    expect(exported.stdout).toContain("DB_URL=");
    for (const output of [run.stderr, exported.stderr]) expect(output).not.toContain(jwt);
  }, 60_000);
});

/** Runs the built `hush-server ARGS` with a clean environment; its stdout. */
function hushServer(args: string[], home: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [HUSH_SERVER_BIN, ...args],
      { env: { PATH: process.env.PATH ?? "", HOME: home } },
      (error, stdout, stderr) => (error === null ? resolve(stdout) : reject(new Error(stderr))),
    );
  });
}

describe("the built hush against the built hush-server", () => {
  it("reads a secret with a trust made offline by hush-server trust create", async () => {
    const home = testDir({});
    const dataDir = join(home, "data");
    const init = JSON.parse(await hushServer(["init", "--data-dir", dataDir, "--json"], home));
    issuer = await startTestIssuer();
    await hushServer(
      [
        "trust",
        "create",
        "--data-dir",
        dataDir,
        "--issuer",
        issuer.url,
        "--audience",
        "hush",
        "--subject",
        WORKER,
      ],
      home,
    );
    const server = await startHushServer(["--data-dir", dataDir], {
      env: { PATH: process.env.PATH ?? "", HOME: home },
    });
    try {
      const endpoint = { HUSH__CLOUD__ENDPOINT: server.url };
      const set = await hush(["secrets", "set", "DB_URL", "--cloud"], {
        home,
        env: { ...endpoint, HUSH__CLOUD__API_KEY: init.token },
        input: "postgres://s3cret@db/app",
      });
      expect(set.code).toBe(0);
      const { jwt, path } = await tokenFile(issuer, WORKER);
      const got = await hush(["secrets", "get", "DB_URL", "--cloud"], {
        home,
        env: { ...endpoint, HUSH__CLOUD__IDENTITY_TOKEN_FILE: path },
      });
      expect(got).toMatchObject({ code: 0, stdout: "postgres://s3cret@db/app\n" });
      expect(got.stderr).not.toContain(jwt);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
