import { createServer } from "node:http";
import { closedEndpoint, listenForTest, testDir } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { formatEnvironments } from "../src/commands/env.js";
import { formatComparison } from "../src/commands/secrets-across.js";
import { hushInProcess } from "./in-process.js";

// The environment commands and --env against a GraphQL stand-in that answers each operation as
// the test says and records what was sent: parsing, output and exit codes, without a server.
// The same commands against the real server: server-environments.test.ts.

type Answer = { data: unknown } | { errors: Array<{ message: string; extensions: object }> };
type Sent = { operationName: string; variables: Record<string, unknown> };

async function stub(answers: Record<string, (variables: Record<string, unknown>) => Answer>) {
  const sent: Sent[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const { operationName, variables = {} } = JSON.parse(body);
      sent.push({ operationName, variables });
      const answer = answers[operationName];
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify(
          answer === undefined
            ? { errors: [{ message: `stub: no ${operationName}`, extensions: {} }] }
            : answer(variables),
        ),
      );
    });
  });
  const endpoint = `http://127.0.0.1:${await listenForTest(server)}`;
  const home = testDir({
    ".hush/config.toml": `[cloud]\nendpoint = "${endpoint}"\napi_key = "hush_stub-token"\n`,
  });
  const hush = (args: string[], env: Record<string, string> = {}) =>
    hushInProcess(args, { home, env });
  return { sent, hush, home };
}

const comparison = (secrets: Array<[string, string]>) => ({
  data: {
    compareEnvironments: {
      from: "staging",
      to: "production",
      equal: secrets.every(([, status]) => status === "SAME"),
      secrets: secrets.map(([name, status]) => ({ name, status })),
    },
  },
});

const badInput = (message: string): Answer => ({
  errors: [{ message, extensions: { code: "BAD_USER_INPUT" } }],
});

describe("hush secrets diff", () => {
  it("prints a line per name and exits 0 when equal, 1 when they differ, like diff(1)", async () => {
    const same = await stub({
      CompareEnvironments: () =>
        comparison([
          ["A", "SAME"],
          ["B", "SAME"],
        ]),
    });
    const equal = await same.hush(["secrets", "diff", "staging", "production"]);
    expect(equal).toMatchObject({ code: 0, stdout: "NAME  STATUS\nA     same\nB     same\n" });
    expect(equal.stderr).toBe('"staging" and "production" hold the same 2 secrets.\n');
    expect(same.sent).toEqual([
      { operationName: "CompareEnvironments", variables: { from: "staging", to: "production" } },
    ]);

    const { hush } = await stub({
      CompareEnvironments: () =>
        comparison([
          ["A", "SAME"],
          ["B", "DIFFERENT"],
          ["C", "MISSING_FROM"],
          ["D", "MISSING_TO"],
        ]),
    });
    const differ = await hush(["secrets", "diff", "staging", "production"]);
    expect(differ.code).toBe(1);
    expect(differ.stdout).toBe(
      "NAME  STATUS\nA     same\nB     different\nC     only in production\nD     only in staging\n",
    );
    expect(differ.stderr).toBe('"staging" and "production" differ: 3 of 4 secrets.\n');
    const json = await hush(["secrets", "diff", "staging", "production", "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      from: "staging",
      to: "production",
      equal: false,
      secrets: [
        { name: "A", status: "SAME" },
        { name: "B", status: "DIFFERENT" },
        { name: "C", status: "MISSING_FROM" },
        { name: "D", status: "MISSING_TO" },
      ],
    });
  });

  it("exits 2 for an unknown environment, 4 for a refused token, 5 for no server", async () => {
    const { hush } = await stub({
      CompareEnvironments: ({ to }) =>
        to === "nope"
          ? badInput('Unknown environment "nope".')
          : { errors: [{ message: "forbidden", extensions: { code: "FORBIDDEN" } }] },
    });
    const unknown = await hush(["secrets", "diff", "staging", "nope"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown environment "nope".');
    expect(unknown.stderr).toContain("`hush env list` lists the environments.");
    expect((await hush(["secrets", "diff", "staging", "production"])).code).toBe(4);
    const home = testDir();
    const away = await hushInProcess(["secrets", "diff", "a", "b"], {
      home,
      env: { HUSH__CLOUD__ENDPOINT: await closedEndpoint(), HUSH__CLOUD__API_KEY: "hush_x" },
    });
    expect(away.code).toBe(5);
    expect((await hush(["secrets", "diff", "staging"])).code).toBe(2);
  });

  it("formats statuses in the environments' words", () => {
    const text = formatComparison({
      from: "dev",
      to: "prod",
      equal: false,
      secrets: [{ name: "X", status: "MISSING_TO" }],
    });
    expect(text).toBe("NAME  STATUS\nX     only in dev");
  });
});

describe("--env", () => {
  const values = () => ({ data: { secretValues: { A: "v" } } });

  it("is sent with secret operations, over [cloud] environment; unset, none is sent", async () => {
    const { hush, sent } = await stub({ SecretValues: values });
    expect((await hush(["secrets", "get", "A", "--cloud", "--env", "staging"])).stdout).toBe("v\n");
    await hush(["secrets", "get", "A", "--cloud", "-e", "qa"], {
      HUSH__CLOUD__ENVIRONMENT: "dev",
    });
    await hush(["secrets", "get", "A", "--cloud"], { HUSH__CLOUD__ENVIRONMENT: "dev" });
    await hush(["secrets", "get", "A", "--cloud"]);
    expect(sent.map((s) => s.variables)).toEqual([
      { names: ["A"], environment: "staging" },
      { names: ["A"], environment: "qa" },
      { names: ["A"], environment: "dev" },
      { names: ["A"] },
    ]);
  });

  it("is a usage error in local mode, and when empty", async () => {
    const { hush, sent } = await stub({});
    const local = await hush(["secrets", "list", "--local", "--env", "staging"]);
    expect(local.code).toBe(2);
    expect(local.stderr).toContain("environments live on the hush server");
    // Local by the config (use_local_secrets is true by default), for run and export too.
    for (const args of [
      ["run", "--env", "staging", "--", "true"],
      ["export", "-e", "staging"],
    ]) {
      const result = await hush(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("Pass --cloud to use the server, or leave out --env.");
    }
    expect((await hush(["secrets", "list", "--cloud", "--env", " "])).code).toBe(2);
    expect(sent).toEqual([]);
  });

  it("filters audit events only when given: [cloud] environment does not", async () => {
    const { hush, sent } = await stub({ AuditEvents: () => ({ data: { auditEvents: [] } }) });
    await hush(["audit", "--json"], { HUSH__CLOUD__ENVIRONMENT: "dev" });
    await hush(["audit", "--json", "--env", "production"], { HUSH__CLOUD__ENVIRONMENT: "dev" });
    expect(sent.map((s) => s.variables.environment)).toEqual([null, "production"]);
  });
});

describe("hush env", () => {
  const environments = [
    { name: "development", isDefault: false, created: "2026-12-01T00:00:00.000Z", secretCount: 3 },
    { name: "production", isDefault: true, created: "2026-11-01T00:00:00.000Z", secretCount: 12 },
  ];

  it("lists names, the default marked, and secret counts; --json as the server says", async () => {
    const { hush } = await stub({ Environments: () => ({ data: { environments } }) });
    const list = await hush(["env", "list"]);
    expect(list.code).toBe(0);
    expect(list.stdout).toBe(`${formatEnvironments(environments)}\n`);
    expect(list.stdout).toMatch(/^NAME\s+DEFAULT\s+SECRETS\s+CREATED$/m);
    expect(list.stdout).toMatch(/^production\s+\*\s+12\s+2026-11-01/m);
    expect(list.stdout).toMatch(/^development\s+3\s+2026-12-01/m);
    expect(JSON.parse((await hush(["env", "list", "--json"])).stdout)).toEqual(environments);
  });

  it("creates, makes default and deletes (asking first), with the server's words for errors", async () => {
    const { hush, sent } = await stub({
      CreateEnvironment: ({ name }) =>
        name === "Bad!"
          ? badInput("An environment name is lowercase letters, digits and -, 1 to 32 characters.")
          : { data: { createEnvironment: { ...environments[0], name } } },
      SetDefaultEnvironment: ({ name }) => ({
        data: { setDefaultEnvironment: { ...environments[1], name } },
      }),
      DeleteEnvironment: () => ({ data: { deleteEnvironment: { success: true } } }),
    });
    expect((await hush(["env", "create", "staging"])).stderr).toContain(
      'Created the environment "staging"',
    );
    const bad = await hush(["env", "create", "Bad!"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("lowercase letters, digits and -");
    expect((await hush(["env", "default", "staging"])).stderr).toContain(
      '"staging" is now the default environment',
    );
    const unconfirmed = await hush(["env", "delete", "staging"]);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain("Pass --yes");
    expect((await hush(["env", "delete", "staging", "--force", "--yes"])).code).toBe(0);
    expect(sent.map((s) => [s.operationName, s.variables])).toEqual([
      ["CreateEnvironment", { name: "staging" }],
      ["CreateEnvironment", { name: "Bad!" }],
      ["SetDefaultEnvironment", { name: "staging" }],
      ["DeleteEnvironment", { name: "staging", force: true }],
    ]);
  });
});

describe("hush secrets copy", () => {
  it("copies named secrets or --all, and says what was copied and skipped, never values", async () => {
    const { hush, sent } = await stub({
      CopySecrets: () => ({
        data: {
          copySecrets: {
            success: true,
            copied: [{ name: "A", version: 4, unchanged: false }],
            skipped: ["B"],
          },
        },
      }),
    });
    const copy = await hush(["secrets", "copy", "A", "B", "--from", "staging", "--to", "prod"]);
    expect(copy.code).toBe(0);
    expect(copy.stdout).toBe("");
    expect(copy.stderr).toBe(
      'Copied A to "prod" (version 4).\n' +
        'Skipped B: "prod" has it already (--overwrite replaces it).\n' +
        '1 secret copied from "staging" to "prod", 1 skipped.\n',
    );
    await hush(["secrets", "copy", "--all", "--from", "staging", "--to", "prod", "--overwrite"]);
    expect(sent.map((s) => s.variables)).toEqual([
      { from: "staging", to: "prod", names: ["A", "B"], overwrite: false },
      { from: "staging", to: "prod", names: null, overwrite: true },
    ]);
    const json = await hush([
      "secrets",
      "copy",
      "A",
      "--from",
      "staging",
      "--to",
      "prod",
      "--json",
    ]);
    expect(JSON.parse(json.stdout)).toEqual({
      from: "staging",
      to: "prod",
      copied: [{ name: "A", version: 4, unchanged: false }],
      skipped: ["B"],
    });
  });

  it("needs names or --all (not both), --from and --to, before any request", async () => {
    const { hush, sent } = await stub({});
    for (const args of [
      ["secrets", "copy", "--from", "a", "--to", "b"],
      ["secrets", "copy", "A", "--all", "--from", "a", "--to", "b"],
      ["secrets", "copy", "A", "--to", "b"],
      ["secrets", "copy", "A", "--from", "a", "--to", "a"],
    ]) {
      expect((await hush(args)).code).toBe(2);
    }
    expect(sent).toEqual([]);
  });
});

describe("hush tokens create --env", () => {
  it("scopes the token to the environments listed, and is not the token's own environment", async () => {
    const created = {
      id: "t1",
      token: "hush_created-token",
      apiToken: {
        id: "t1",
        name: "deploy",
        role: "RUNNER",
        created: "2026-12-06T00:00:00.000Z",
        expiresAt: null,
        revokedAt: null,
        environments: ["staging", "production"],
      },
    };
    const { hush, sent } = await stub({
      CreateApiToken: () => ({ data: { createApiToken: created } }),
    });
    const result = await hush(
      ["tokens", "create", "deploy", "--role", "runner", "--env", "staging, production,staging"],
      { HUSH__CLOUD__ENVIRONMENT: "dev" },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("(RUNNER, environments staging, production, id t1)");
    expect(sent).toEqual([
      {
        operationName: "CreateApiToken",
        variables: {
          name: "deploy",
          role: "RUNNER",
          expiresAt: null,
          environments: ["staging", "production"],
        },
      },
    ]);
    expect((await hush(["tokens", "create", "x", "--role", "RUNNER", "--env", "a,,b"])).code).toBe(
      2,
    );
  });
});

describe("help and completion", () => {
  it("list the env command and --env", async () => {
    const home = testDir();
    const help = await hushInProcess(["--help"], { home });
    expect(help.stdout).toMatch(/^ {2}env\s/m);
    const secrets = await hushInProcess(["secrets", "get", "--help"], { home });
    expect(secrets.stdout).toContain("-e, --env <name>");
    const bash = (await hushInProcess(["completion", "bash"], { home })).stdout;
    expect(bash).toContain('env) words="list create delete default"');
    expect(bash).toMatch(/"secrets diff"\) words="--json/);
    expect(bash).toMatch(/"run"\) words="[^"]*--env/);
  });
});
