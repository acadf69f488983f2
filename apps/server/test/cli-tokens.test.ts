import { testDir } from "@hush/test-support";
import { beforeEach, describe, expect, it } from "vitest";
import { env } from "../src/cli/commands/env.js";
import { init } from "../src/cli/commands/init.js";
import { migrate } from "../src/cli/commands/migrate.js";
import { tokenCreate } from "../src/cli/commands/token-create.js";
import { tokenList } from "../src/cli/commands/token-list.js";
import { tokenRevoke } from "../src/cli/commands/token-revoke.js";
import type { CliIo } from "../src/cli/io.js";
import { testIo } from "./support/cli.js";

describe("hush-server token list and token revoke, in-process", { timeout: 30_000 }, () => {
  let dir: string;
  const call = async <O>(command: (options: O, io: CliIo) => Promise<number>, options: O) => {
    const { io, stdout } = testIo(dir);
    const code = await command(options, io);
    return { code, stdout: stdout() };
  };

  beforeEach(() => {
    dir = testDir();
  });

  it("lists tokens without printing them and revokes one by id", async () => {
    const admin = JSON.parse((await call(init, { json: true })).stdout).token as string;
    const created = await call(tokenCreate, { role: "RUNNER", name: "ci", json: true });
    const runner = JSON.parse(created.stdout) as { id: string; token: string };

    const listed = await call(tokenList, {});
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+TENANT\s+NAME\s+ROLE/);
    expect(listed.stdout).toContain(runner.id);
    expect(listed.stdout).not.toContain(runner.token);
    expect(listed.stdout).not.toContain(admin);

    const revoked = await call(tokenRevoke, { id: runner.id });
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Revoked the RUNNER token "ci" in tenant "default"`);
    const again = await call(tokenRevoke, { id: runner.id });
    expect(again.stdout).toContain("was already revoked");

    const json = JSON.parse((await call(tokenList, { json: true, tenant: "default" })).stdout);
    const ci = json.find((t: { id: string }) => t.id === runner.id);
    expect(ci.revokedAt).not.toBeNull();
    expect(json.find((t: { name: string }) => t.name === "admin").revokedAt).toBeNull();

    await expect(call(tokenRevoke, { id: "no-such-id" })).rejects.toThrow("hush-server token list");

    // The tenant's last admin token: refused unless forced.
    const adminId = json.find((t: { name: string }) => t.name === "admin").id as string;
    const lockout = call(tokenRevoke, { id: adminId });
    await expect(lockout).rejects.toThrow(
      "hush-server token create --tenant default --role TENANT_ADMIN",
    );
    await expect(lockout).rejects.toThrow("--force");
    const forced = await call(tokenRevoke, { id: adminId, force: true });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('Revoked the TENANT_ADMIN token "admin"');
  });

  it("creates a token scoped to environments offline, and refuses an unknown one by name", async () => {
    await call(init, { json: true });
    const created = await call(tokenCreate, {
      role: "RUNNER",
      name: "prod-runner",
      env: "production",
    });
    expect(created.code).toBe(0);
    expect(created.stdout).toContain("for the environments production");
    const json = JSON.parse((await call(tokenList, { json: true })).stdout);
    expect(json.find((t: { name: string }) => t.name === "prod-runner").environments).toEqual([
      "production",
    ]);
    await expect(
      call(tokenCreate, { role: "RUNNER", name: "nowhere", env: "production,staging" }),
    ).rejects.toThrow('"staging"');
  });

  it("lists, creates, deletes and chooses the default environment offline", async () => {
    await call(init, { json: true });
    const listed = await call((o: object, io) => env("list", o, io), { json: true });
    expect(JSON.parse(listed.stdout)).toMatchObject([{ name: "production", isDefault: true }]);
    await call((o: object, io) => env("create", o, io), { name: "staging" });
    const made = await call((o: object, io) => env("default", o, io), { name: "staging" });
    expect(made.stdout).toMatch(/staging\s+default/);
    await call((o: object, io) => env("delete", o, io), { name: "production" });
    await expect(
      call((o: object, io) => env("delete", o, io), { name: "staging" }),
    ).rejects.toThrow("last one");
    await expect(call((o: object, io) => env("create", o, io), { name: "Nope" })).rejects.toThrow(
      "lowercase",
    );
  });

  it("says how to create a token when there is none, and asks for the id to revoke", async () => {
    // A database without a tenant yet.
    await call(migrate, {});
    const listed = await call(tokenList, {});
    expect(listed.stdout).toBe(
      "There are no API tokens. Create one with: hush-server token create\n",
    );
    await expect(call(tokenRevoke, {})).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringContaining("hush-server token list shows them"),
    });
  });
});
