import { testDir } from "@hush/test-support";
import { beforeEach, describe, expect, it } from "vitest";
import { parseTtl } from "../src/cli/commands/trust-create.js";
import { runCli } from "./support/cli.js";

describe("hush-server trust create, list and delete", { timeout: 30_000 }, () => {
  let dir: string;
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { cwd: dir, env });

  beforeEach(async () => {
    dir = testDir();
    expect((await cli(["init", "--json"])).code).toBe(0);
  });

  it("creates a trust with its defaults, lists it and deletes it, as JSON", async () => {
    const created = await cli([
      "trust",
      "create",
      "--issuer",
      "https://token.actions.githubusercontent.com",
      "--audience",
      "hush",
      "--subject",
      "repo:acme/*:ref:refs/heads/main",
      "--claim",
      "repository_owner=acme",
      "--claim",
      "workflow=deploy=prod",
      "--env",
      "production",
      "--ttl",
      "2h",
      "--json",
    ]);
    expect(created).toMatchObject({ code: 0, stderr: "" });
    const trust = JSON.parse(created.stdout);
    expect(trust).toMatchObject({
      tenant: "default",
      issuer: "https://token.actions.githubusercontent.com",
      audience: "hush",
      subject: "repo:acme/*:ref:refs/heads/main",
      claims: [
        { name: "repository_owner", value: "acme" },
        { name: "workflow", value: "deploy=prod" },
      ],
      role: "RUNNER",
      environments: ["production"],
      ttlSeconds: 7200,
      createdBy: "hush-server",
    });

    const listed = await cli(["trust", "list", "--json"]);
    expect(JSON.parse(listed.stdout)).toEqual([trust]);
    const table = await cli(["trust", "list"]);
    expect(table.stdout).toMatch(/^ID\s+TENANT\s+ISSUER\s+AUDIENCE\s+SUBJECT/);
    expect(table.stdout).toContain(trust.id);

    const deleted = await cli(["trust", "delete", trust.id]);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain("work until they expire");
    expect(JSON.parse((await cli(["trust", "list", "--json"])).stdout)).toEqual([]);
    const again = await cli(["trust", "delete", trust.id]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain("hush-server trust list");
  });

  it("refuses a TENANT_ADMIN role, a bad TTL, http:// and private issuers without the flag", async () => {
    const base = ["trust", "create", "--audience", "hush", "--subject", "x"];
    const admin = await cli([...base, "--issuer", "https://i.example", "--role", "tenant_admin"]);
    expect(admin.code).not.toBe(0);
    expect(admin.stderr).toContain("cannot issue TENANT_ADMIN tokens");
    const ttl = await cli([...base, "--issuer", "https://i.example", "--ttl", "13h"]);
    expect(ttl.stderr).toContain("43200");
    const http = await cli([...base, "--issuer", "http://i.example"]);
    expect(http.stderr).toContain("use https://");
    const loopback = await cli([...base, "--issuer", "http://127.0.0.1:8080", "--json"]);
    expect(loopback.code).toBe(0);
    const privateIssuer = await cli([...base, "--issuer", "https://192.168.1.10"]);
    expect(privateIssuer.stderr).toContain("--allow-private-issuers");
    const flagged = await cli([
      ...base,
      "--issuer",
      "https://192.168.1.10",
      "--allow-private-issuers",
    ]);
    expect(flagged.code).toBe(0);
    const byEnv = await cli([...base, "--issuer", "https://10.0.0.5"], {
      HUSH_ALLOW_PRIVATE_ISSUERS: "1",
    });
    expect(byEnv.code).toBe(0);
    expect(JSON.parse((await cli(["trust", "list", "--json"])).stdout)).toHaveLength(3);
  });

  it("reads durations in seconds, minutes and hours", () => {
    expect(parseTtl("900")).toBe(900);
    expect(parseTtl("900s")).toBe(900);
    expect(parseTtl("15m")).toBe(900);
    expect(parseTtl("2h")).toBe(7200);
    expect(() => parseTtl("15 minutes")).toThrow("900s, 15m or 2h");
  });
});
