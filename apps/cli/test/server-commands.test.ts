import { statSync } from "node:fs";
import { join } from "node:path";
import { startRealServer } from "@hush/integration-tests/real-server";
import { hasUnsafeDisplayChars } from "@hush/schema/display-text";
import { testDir } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { hushInProcess } from "./in-process.js";

describe("against a real hush-server", () => {
  it("manages tokens and the audit log; login refuses a bad token; roles are enforced", async () => {
    const server = await startRealServer();
    const home = testDir({ ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\n` });
    const bad = await hushInProcess(["login", "--token", "hush_not-a-real-token"], { home });
    expect(bad.code).toBe(4);
    expect(bad.stderr).not.toContain("hush_not-a-real-token");
    expect(() => statSync(join(home, ".hush/auth.toml"))).toThrow();

    const admin = { HUSH__CLOUD__API_KEY: server.tokens.TENANT_ADMIN };
    const created = await hushInProcess(["tokens", "create", "ci", "--role", "RUNNER", "--json"], {
      home,
      env: admin,
    });
    expect(created.code).toBe(0);
    const { id, token } = JSON.parse(created.stdout);
    expect(created.stderr).not.toContain(token);
    const list = JSON.parse(
      (await hushInProcess(["tokens", "list", "--json"], { home, env: admin })).stdout,
    );
    expect(list.map((t: { name: string }) => t.name)).toContain("ci");
    expect(JSON.stringify(list)).not.toContain(token);

    const runner = { HUSH__CLOUD__API_KEY: token };
    expect(
      (await hushInProcess(["secrets", "set", "K", "v4lue-one", "--cloud"], { home, env: admin }))
        .code,
    ).toBe(0);
    expect(
      (await hushInProcess(["secrets", "get", "K", "--cloud"], { home, env: runner })).stdout,
    ).toBe("v4lue-one\n");
    const user = { HUSH__CLOUD__API_KEY: server.tokens.USER };
    const forbidden = await hushInProcess(["secrets", "get", "K", "--cloud"], { home, env: user });
    expect(forbidden.code).toBe(4);
    expect(forbidden.stderr).not.toContain("v4lue-one");
    expect(
      (await hushInProcess(["secrets", "delete", "K", "--cloud"], { home, env: user })).code,
    ).toBe(2);
    expect(
      (await hushInProcess(["secrets", "delete", "K", "--cloud", "--yes"], { home, env: user }))
        .code,
    ).toBe(0);

    const audit = JSON.parse(
      (await hushInProcess(["audit", "--name", "K", "--json"], { home, env: admin })).stdout,
    );
    expect(audit.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(["SET_SECRET", "DELETE_SECRET"]),
    );
    const reads = JSON.parse(
      (
        await hushInProcess(["audit", "--action", "READ_SECRET_VALUE", "--json"], {
          home,
          env: admin,
        })
      ).stdout,
    );
    expect(reads.map((e: { action: string; secretName: string }) => e.secretName)).toContain("K");
    expect(new Set(reads.map((e: { action: string }) => e.action))).toEqual(
      new Set(["READ_SECRET_VALUE"]),
    );
    const badAction = await hushInProcess(["audit", "--action", "READ"], { home, env: admin });
    expect(badAction.code).toBe(2);
    expect(badAction.stderr).toContain("READ_SECRET_VALUE");
    expect((await hushInProcess(["tokens", "revoke", id], { home, env: admin })).code).toBe(0);
    expect(
      (await hushInProcess(["secrets", "get", "K", "--cloud"], { home, env: runner })).code,
    ).toBe(4);
    // Token events name the token they created or revoked, by name and id.
    const tokenEvents = await hushInProcess(["audit", "--action", "REVOKE_API_TOKEN"], {
      home,
      env: admin,
    });
    expect(tokenEvents.stdout).toContain(`token "ci" (${id})`);
    const createdEvents = JSON.parse(
      (
        await hushInProcess(["audit", "--action", "CREATE_API_TOKEN", "--json"], {
          home,
          env: admin,
        })
      ).stdout,
    );
    expect(createdEvents).toContainEqual(expect.objectContaining({ tokenId: id, tokenName: "ci" }));

    // The tenant's last admin token cannot lock the tenant out: hand over first.
    const adminId = list.find((t: { name: string }) => t.name === "admin").id;
    const lockout = await hushInProcess(["tokens", "revoke", adminId], { home, env: admin });
    expect(lockout.code).toBe(1);
    expect(lockout.stderr).toContain("last active TENANT_ADMIN token");
    expect(lockout.stderr).toContain("hush tokens create admin-2 --role TENANT_ADMIN");
    expect((await hushInProcess(["whoami"], { home, env: admin })).code).toBe(0);
  }, 180_000);

  it("escapes control and bidi characters in whatever the server sends before printing it", async () => {
    // A database from before names were checked, or a hostile server: the terminal must show
    // what is stored, in order, and never run an escape sequence.
    const server = await startRealServer();
    const home = testDir({ ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\n` });
    const env = { HUSH__CLOUD__API_KEY: server.tokens.TENANT_ADMIN };
    const at = "2030-01-01T00:00:00.000Z";
    const HOSTILE = [
      "evil\u202egnp.exe",
      "esc\u001b[31mred\u001b]0;title\u0007",
      "c1\u0085\u009bz",
    ];
    server.failNext(1, {
      body: JSON.stringify({
        data: {
          apiTokens: HOSTILE.map((name, i) => ({
            id: `id-${i}`,
            name,
            role: "RUNNER",
            created: at,
            expiresAt: null,
            revokedAt: null,
          })),
        },
      }),
    });
    const tokens = await hushInProcess(["tokens", "list"], { home, env });
    expect(tokens.code).toBe(0);
    expect(tokens.stdout).toContain("evil\\u202egnp.exe");
    expect(tokens.stdout).toContain("esc\\u001b[31mred\\u001b]0;title\\u0007");
    expect(tokens.stdout).toContain("c1\\u0085\\u009bz");

    server.failNext(1, {
      body: JSON.stringify({
        data: {
          auditEvents: [
            {
              id: "e1",
              action: "READ_SECRET_VALUE",
              secretName: "K",
              version: 1,
              outcome: "SUCCESS",
              actor: "admin\u202e",
              actorTokenId: "0190a4f2-5c3e-7b1a-8d2f-3e4c5b6a7d8e",
              at,
            },
          ],
        },
      }),
    });
    const audit = await hushInProcess(["audit"], { home, env });
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/ACTOR\s+ACTOR ID/);
    expect(audit.stdout).toContain("admin\\u202e");
    expect(audit.stdout).toContain("0190a4f2-5c3e-7b1a-8d2f-3e4c5b6a7d8e");

    server.failNext(1, {
      body: JSON.stringify({
        errors: [{ message: "no\u001b[2J\u202e", extensions: { code: "BAD_USER_INPUT" } }],
      }),
    });
    const failed = await hushInProcess(["tokens", "list"], { home, env });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("no\\u001b[2J\\u202e");

    for (const output of [tokens, audit, failed]) {
      const printed = (output.stdout + output.stderr).replaceAll("\n", "");
      expect(hasUnsafeDisplayChars(printed)).toBe(false);
    }
  }, 180_000);

  it("exits 4 without a token, 3 for a missing secret, 5 when the server is down", async () => {
    const server = await startRealServer();
    const home = testDir({ ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\n` });
    expect((await hushInProcess(["secrets", "list", "--cloud"], { home })).code).toBe(4);
    const env = { HUSH__CLOUD__API_KEY: server.tokens.RUNNER };
    expect((await hushInProcess(["secrets", "get", "NOPE", "--cloud"], { home, env })).code).toBe(
      3,
    );
    const doctor = await hushInProcess(["config", "doctor"], { home, env });
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toContain("role RUNNER");
    await server.stop();
    expect((await hushInProcess(["secrets", "get", "NOPE", "--cloud"], { home, env })).code).toBe(
      5,
    );
    expect(
      (
        await hushInProcess(["config", "doctor", "--cloud"].slice(0, 2), {
          home,
          env: { ...env, HUSH__CLOUD__USE_LOCAL_SECRETS: "false" },
        })
      ).code,
    ).toBe(1);
  }, 60_000);

  it("speaks in the CLI's words, not the API's", async () => {
    const server = await startRealServer({ secrets: { K: "v1" } });
    const home = testDir({ ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\n` });
    const admin = { HUSH__CLOUD__API_KEY: server.tokens.TENANT_ADMIN };
    const apiWords = /\b(Me|AllSecretValues|secretVersions|hasValue|apiTokens|mutation)\b/;

    const badLogin = await hushInProcess(["login", "--token", "hush_not-a-real-token"], { home });
    expect(badLogin.code).toBe(4);
    expect(badLogin.stderr).toContain("Nothing was saved");
    expect(badLogin.stderr).not.toMatch(/Or run `hush login`|hush_not-a-real-token/);

    const bad = { HUSH__CLOUD__API_KEY: "hush_not-a-real-token" };
    for (const args of [["whoami"], ["export", "--cloud"]]) {
      const refused = await hushInProcess(args, { home, env: bad });
      expect(refused.code).toBe(4);
      expect(refused.stderr).toMatch(/the API token from HUSH__CLOUD__API_KEY.*Run `hush login`/);
      expect(refused.stderr).not.toMatch(apiWords);
    }
    const none = await hushInProcess(["whoami"], { home });
    expect(none.stderr).toMatch(/needs an API token, and none is set for it. Run `hush login`/);

    const noVersion = await hushInProcess(["secrets", "rollback", "K", "7", "--cloud"], {
      home,
      env: admin,
    });
    expect(noVersion.code).toBe(3);
    expect(noVersion.stderr).toContain("`hush secrets versions K` lists its versions");
    expect(noVersion.stderr).not.toMatch(apiWords);
    for (let i = 2; i <= 12; i++) await server.setSecrets({ K: `v${i}` });
    const dropped = await hushInProcess(["secrets", "rollback", "K", "1", "--cloud"], {
      home,
      env: admin,
    });
    expect(dropped.code).toBe(1);
    expect(dropped.stderr).toMatch(/has no value to restore.*whose value is still kept/);
    expect(dropped.stderr).not.toMatch(apiWords);
    const missing = await hushInProcess(["secrets", "get", "NOPE", "--cloud"], {
      home,
      env: admin,
    });
    expect(missing.stderr).not.toMatch(apiWords);

    const tooMany = await hushInProcess(["audit", "--limit", "5000"], { home, env: admin });
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/from 1 to 1000; see older events with --offset/);
    const newest = JSON.parse(
      (await hushInProcess(["audit", "--limit", "2", "--json"], { home, env: admin })).stdout,
    );
    const second = JSON.parse(
      (
        await hushInProcess(["audit", "--limit", "1", "--offset", "1", "--json"], {
          home,
          env: admin,
        })
      ).stdout,
    );
    expect(second).toEqual([newest[1]]);
  }, 60_000);

  it("import --overwrite leaves unchanged values as they are, and says how many", async () => {
    const server = await startRealServer();
    const home = testDir({
      ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\n`,
      "in.env": "A=one\nB=two\n",
      "changed.env": "A=one\nB=three\n",
    });
    const admin = { HUSH__CLOUD__API_KEY: server.tokens.TENANT_ADMIN };
    const versionOf = async (name: string) =>
      JSON.parse(
        (
          await hushInProcess(["secrets", "versions", name, "--cloud", "--json"], {
            home,
            env: admin,
          })
        ).stdout,
      ).length as number;
    expect(
      (await hushInProcess(["import", join(home, "in.env"), "--cloud"], { home, env: admin })).code,
    ).toBe(0);
    const again = await hushInProcess(["import", join(home, "in.env"), "--cloud", "--overwrite"], {
      home,
      env: admin,
    });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("Imported 2 secrets (2 unchanged, left as they were)");
    const changed = await hushInProcess(
      ["import", join(home, "changed.env"), "--cloud", "--overwrite"],
      {
        home,
        env: admin,
      },
    );
    expect(changed.stderr).toContain("Imported 2 secrets (1 unchanged, left as they were)");
    expect([await versionOf("A"), await versionOf("B")]).toEqual([1, 2]);
    expect(await server.valueOf("B")).toBe("three");

    // A USER may write but not read values: "unchanged" would tell it whether a guess is right.
    const user = { HUSH__CLOUD__API_KEY: server.tokens.USER };
    const guessed = await hushInProcess(
      ["import", join(home, "changed.env"), "--cloud", "--overwrite"],
      {
        home,
        env: user,
      },
    );
    expect(guessed.code).toBe(0);
    expect(guessed.stderr).not.toContain("unchanged");
    expect([await versionOf("A"), await versionOf("B")]).toEqual([2, 3]);
  }, 60_000);

  it("tokens revoke takes a unique token name as well as an id", async () => {
    const server = await startRealServer();
    const home = testDir({ ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\n` });
    const admin = { HUSH__CLOUD__API_KEY: server.tokens.TENANT_ADMIN };
    const create = async (name: string) =>
      hushInProcess(["tokens", "create", name, "--role", "RUNNER", "--json"], { home, env: admin });
    const { id, token } = JSON.parse((await create("ci-job")).stdout);
    const revoked = await hushInProcess(["tokens", "revoke", "ci-job"], { home, env: admin });
    expect(revoked.stderr).toContain(`Revoked token "ci-job" (id ${id}).`);
    expect(revoked.code).toBe(0);
    const runner = { HUSH__CLOUD__API_KEY: token };
    expect((await hushInProcess(["whoami"], { home, env: runner })).code).toBe(4);
    expect((await hushInProcess(["tokens", "revoke", "ci-job"], { home, env: admin })).code).toBe(
      3,
    );
    const unknown = await hushInProcess(["tokens", "revoke", "no-such-token"], {
      home,
      env: admin,
    });
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain("`hush tokens list`");
    const pasted = await hushInProcess(["tokens", "revoke", token], { home, env: admin });
    expect(pasted.code).toBe(2);
    expect(pasted.stderr).not.toContain(token);

    // Where the server lets two live tokens share a name, the name alone is refused.
    await create("twin");
    const twin = await create("twin");
    if (twin.code === 0) {
      const ambiguous = await hushInProcess(["tokens", "revoke", "twin"], { home, env: admin });
      expect(ambiguous.code).toBe(2);
      expect(ambiguous.stderr).toContain(JSON.parse(twin.stdout).id);
    }
  }, 60_000);
});
