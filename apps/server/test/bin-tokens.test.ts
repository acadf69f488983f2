import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { childEnv, runBin, testDir } from "./support/bin.js";

describe("hush-server token list and token revoke", { timeout: 60_000 }, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let env: NodeJS.ProcessEnv;
  const bin = (...args: string[]) => runBin(args, { cwd: dir, env });

  beforeEach(async () => {
    ({ dir, cleanup } = await testDir());
    env = childEnv(dir);
  });
  afterEach(async () => {
    await cleanup();
  });

  it("lists tokens without printing them and revokes one by id", async () => {
    const admin = JSON.parse((await bin("init", "--json")).stdout).token as string;
    const created = await bin("token", "create", "--role", "RUNNER", "--name", "ci", "--json");
    const runner = JSON.parse(created.stdout) as { id: string; token: string };

    const listed = await bin("token", "list");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+TENANT\s+NAME\s+ROLE/);
    expect(listed.stdout).toContain(runner.id);
    expect(listed.stdout).not.toContain(runner.token);
    expect(listed.stdout).not.toContain(admin);

    const revoked = await bin("token", "revoke", runner.id);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Revoked the RUNNER token "ci" in tenant "default"`);
    const again = await bin("token", "revoke", runner.id);
    expect(again.stdout).toContain("was already revoked");

    const json = JSON.parse((await bin("token", "list", "--json", "--tenant", "default")).stdout);
    const ci = json.find((t: { id: string }) => t.id === runner.id);
    expect(ci.revokedAt).not.toBeNull();
    expect(json.find((t: { name: string }) => t.name === "admin").revokedAt).toBeNull();

    const missing = await bin("token", "revoke", "no-such-id");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("hush-server token list");

    // The tenant's last admin token: refused unless --force.
    const adminId = json.find((t: { name: string }) => t.name === "admin").id as string;
    const lockout = await bin("token", "revoke", adminId);
    expect(lockout.code).toBe(1);
    expect(lockout.stderr).toContain(
      "hush-server token create --tenant default --role TENANT_ADMIN",
    );
    expect(lockout.stderr).toContain("--force");
    const forced = await bin("token", "revoke", adminId, "--force");
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('Revoked the TENANT_ADMIN token "admin"');
  });

  it("explains the token commands with token --help", async () => {
    const help = await bin("token", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: hush-server token");
    for (const sub of ["create", "list", "revoke"]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${sub} `, "m"));
    }
    const unknown = await bin("token", "delete");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("create, list, revoke");
    expect((await bin("token", "revoke")).code).toBe(2);
  });
});
