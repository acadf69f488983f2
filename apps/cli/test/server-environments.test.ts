import { startRealServer } from "@hush/integration-tests/real-server";
import { testDir } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { hushInProcess } from "./in-process.js";

// Environments end to end: the CLI against the real hush-server in this process (issue 22).
// Needs the server's environments (its branch of issue 22); environments.test.ts covers parsing,
// output and exit codes against a stand-in.

describe("environments against a real hush-server", () => {
  it("keeps each environment's secrets apart; --env and [cloud] environment choose; diff and copy", async () => {
    const server = await startRealServer();
    const home = testDir({ ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\n` });
    const admin = { HUSH__CLOUD__API_KEY: server.tokens.TENANT_ADMIN };
    const hush = (args: string[], env: Record<string, string> = admin) =>
      hushInProcess(args, { home, env });
    const ok = async (args: string[], env?: Record<string, string>) => {
      const result = await hush(args, env);
      expect(result, `hush ${args.join(" ")}: ${result.stderr}`).toMatchObject({ code: 0 });
      return result;
    };

    await ok(["env", "create", "staging"]);
    await ok(["env", "create", "qa"]);
    await ok(["secrets", "set", "A", "staging-a", "--cloud", "--env", "staging"]);
    await ok(["secrets", "set", "B", "staging-b", "--cloud", "-e", "staging"]);
    await ok(["secrets", "set", "A", "qa-a", "--cloud", "--env", "qa"]);

    expect((await ok(["secrets", "get", "A", "--cloud", "--env", "staging"])).stdout).toBe(
      "staging-a\n",
    );
    expect((await ok(["secrets", "get", "A", "--cloud", "-e", "qa"])).stdout).toBe("qa-a\n");
    const configured = { ...admin, HUSH__CLOUD__ENVIRONMENT: "qa" };
    expect((await ok(["secrets", "get", "A", "--cloud"], configured)).stdout).toBe("qa-a\n");
    expect((await ok(["secrets", "get", "A", "--cloud", "-e", "staging"], configured)).stdout).toBe(
      "staging-a\n",
    );
    const qaNames = JSON.parse(
      (await ok(["secrets", "list", "--cloud", "-e", "qa", "--json"])).stdout,
    );
    expect(qaNames.map((s: { name: string }) => s.name)).toEqual(["A"]);

    const unknown = await hush(["secrets", "get", "A", "--cloud", "--env", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("nope");

    // diff: exit 1 while they differ, statuses by name, never a value.
    const differ = await hush(["secrets", "diff", "staging", "qa", "--json"]);
    expect(differ.code).toBe(1);
    expect(JSON.parse(differ.stdout)).toEqual({
      from: "staging",
      to: "qa",
      equal: false,
      secrets: [
        { name: "A", status: "DIFFERENT" },
        { name: "B", status: "MISSING_TO" },
      ],
    });
    expect(differ.stdout + differ.stderr).not.toContain("staging-a");
    expect((await hush(["secrets", "diff", "staging", "nope"])).code).toBe(2);

    // copy: names existing in `to` are skipped without --overwrite.
    const copied = await ok(["secrets", "copy", "--all", "--from", "staging", "--to", "qa"]);
    expect(copied.stderr).toContain('Copied B to "qa"');
    expect(copied.stderr).toContain('Skipped A: "qa" has it already');
    expect(copied.stdout + copied.stderr).not.toContain("staging-");
    await ok(["secrets", "copy", "A", "--from", "staging", "--to", "qa", "--overwrite"]);
    const equal = await ok(["secrets", "diff", "staging", "qa"]);
    expect(equal.stdout).toMatch(/^A\s+same\nB\s+same\n$/m);
    expect((await ok(["secrets", "get", "B", "--cloud", "-e", "qa"])).stdout).toBe("staging-b\n");

    const listed = JSON.parse((await ok(["env", "list", "--json"])).stdout) as Array<{
      name: string;
      isDefault: boolean;
      secretCount: number;
    }>;
    expect(listed.filter((e) => e.isDefault)).toHaveLength(1);
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "staging", secretCount: 2, isDefault: false }),
        expect.objectContaining({ name: "qa", secretCount: 2, isDefault: false }),
      ]),
    );
    expect((await ok(["env", "list"])).stdout).toMatch(/^qa\s+2\s/m);

    // export reads the environment chosen, as Secret.get() does.
    const exported = await ok(["export", "--cloud", "--env", "qa", "--format", "json"]);
    expect(JSON.parse(exported.stdout)).toEqual({ A: "staging-a", B: "staging-b" });

    // The audit log, filtered by --env.
    const audit = JSON.parse((await ok(["audit", "--env", "staging", "--json"])).stdout) as Array<{
      environment: string | null;
    }>;
    expect(audit.length).toBeGreaterThan(0);
    expect(new Set(audit.map((e) => e.environment))).toEqual(new Set(["staging"]));

    // Deleting an environment that holds secrets needs --force.
    expect((await hush(["env", "delete", "staging", "--yes"])).code).not.toBe(0);
    await ok(["env", "delete", "staging", "--force", "--yes"]);
    expect((await hush(["secrets", "get", "A", "--cloud", "-e", "staging"])).code).not.toBe(0);
  });

  it("a token scoped to one environment uses it by default; env default moves the rest", async () => {
    const server = await startRealServer();
    const home = testDir({ ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\n` });
    const admin = { HUSH__CLOUD__API_KEY: server.tokens.TENANT_ADMIN };
    const hush = (args: string[], env: Record<string, string> = admin) =>
      hushInProcess(args, { home, env });

    const before = JSON.parse((await hush(["env", "list", "--json"])).stdout) as Array<{
      name: string;
      isDefault: boolean;
    }>;
    const original = before.find((e) => e.isDefault)?.name;
    expect(original).toBeDefined();
    expect((await hush(["env", "create", "qa"])).code).toBe(0);
    expect((await hush(["secrets", "set", "K", "default-k", "--cloud"])).code).toBe(0);
    expect((await hush(["secrets", "set", "K", "qa-k", "--cloud", "-e", "qa"])).code).toBe(0);

    const created = await hush([
      "tokens",
      "create",
      "qa-runner",
      "--role",
      "RUNNER",
      "--env",
      "qa",
      "--json",
    ]);
    expect(created.code).toBe(0);
    const token = JSON.parse(created.stdout) as { token: string; environments: string[] };
    expect(token.environments).toEqual(["qa"]);
    const scoped = { HUSH__CLOUD__API_KEY: token.token };
    expect((await hush(["secrets", "get", "K", "--cloud"], scoped)).stdout).toBe("qa-k\n");
    const who = JSON.parse((await hush(["whoami", "--json"], scoped)).stdout);
    expect(who).toMatchObject({ environment: "qa", environments: ["qa"] });
    const outside = await hush(["secrets", "get", "K", "--cloud", "-e", original!], scoped);
    expect(outside.code).not.toBe(0);
    expect(outside.stdout + outside.stderr).not.toContain("default-k");
    const tokens = await hush(["tokens", "list"]);
    expect(tokens.stdout).toMatch(/\sqa-runner\s+RUNNER\s+qa\s/);

    // Without --env, an unscoped token follows the tenant's default.
    expect((await hush(["secrets", "get", "K", "--cloud"])).stdout).toBe("default-k\n");
    expect((await hush(["env", "default", "qa"])).code).toBe(0);
    expect((await hush(["secrets", "get", "K", "--cloud"])).stdout).toBe("qa-k\n");
    expect((await hush(["secrets", "get", "K", "--cloud", "-e", original!])).stdout).toBe(
      "default-k\n",
    );
  });
});
