import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startRealServer } from "@hush/integration-tests/real-server";
import { testDir } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { audit } from "../src/commands/audit.js";
import { configPath } from "../src/commands/config.js";
import { configDoctor } from "../src/commands/config-doctor.js";
import { exportSecrets } from "../src/commands/export.js";
import { importSecrets } from "../src/commands/import.js";
import { login, logout } from "../src/commands/login.js";
import {
  secretsDelete,
  secretsGet,
  secretsList,
  secretsRollback,
  secretsSet,
} from "../src/commands/secrets.js";
import { tokensCreate, tokensList } from "../src/commands/tokens.js";
import { whoami } from "../src/commands/whoami.js";
import { ExitCode } from "../src/exit-codes.js";
import { testContext } from "./in-process.js";

// The command functions called as the commander declarations call them: parsed input and a
// context with a temp home and collected output. Exit codes are the CliError's they throw.

const LOCAL = '[context.secrets]\nA = "one"\nSTRIPE = "$HUSH_TEST_UNSET_VAR"\n';

describe("secrets, in the config file", () => {
  it("sets, reads and lists; a secret naming an unset $VAR is listed as unset", async () => {
    const home = testDir({ ".hush/config.toml": LOCAL });
    const set = testContext({ home });
    await secretsSet({ name: "B", value: "two", local: true }, set.context);
    expect(set.stderr.text).toBe(`Set B in ${join(home, ".hush/config.toml")}.\n`);

    const get = testContext({ home });
    await secretsGet({ name: "B" }, get.context);
    expect(get.stdout.text).toBe("two\n");

    const list = testContext({ home });
    await secretsList({ json: true }, list.context);
    expect(JSON.parse(list.stdout.text)).toEqual([
      { name: "A", source: "local", set: true },
      { name: "B", source: "local", set: true },
      expect.objectContaining({ name: "STRIPE", set: false, variable: "HUSH_TEST_UNSET_VAR" }),
    ]);
    const table = testContext({ home });
    await secretsList({}, table.context);
    expect(table.stdout.text).toMatch(/STRIPE\s+local\s+unset: \S+config\.toml:3 names \$HUSH/);
  });

  it("refuses what needs the server or a terminal, before changing anything", async () => {
    const home = testDir({ ".hush/config.toml": LOCAL });
    const { context } = testContext({ home });
    await expect(
      secretsRollback({ name: "A", version: "1", local: true }, context),
    ).rejects.toMatchObject({ exitCode: ExitCode.USAGE, message: /only on the hush server/ });
    // The collected stderr is no terminal: no prompt, and --yes is needed.
    await expect(secretsDelete({ name: "A" }, context)).rejects.toMatchObject({
      exitCode: ExitCode.USAGE,
      message: /Pass --yes to confirm when not on a terminal/,
    });
    await expect(secretsDelete({ name: "NOPE", yes: true }, context)).rejects.toMatchObject({
      exitCode: ExitCode.NOT_FOUND,
    });
    expect(readFileSync(join(home, ".hush/config.toml"), "utf8")).toBe(LOCAL);
  });

  it("exports to the context's stdout and imports from a dotenv file", async () => {
    const home = testDir({ ".hush/config.toml": LOCAL, "in.env": "C=three\nA=one\n" });
    const imported = testContext({ home });
    await importSecrets(
      { file: join(home, "in.env"), local: true, overwrite: true },
      imported.context,
    );
    expect(imported.stderr.text).toMatch(/^Imported 2 secrets \(1 unchanged, left as they were\)/);
    const exported = testContext({ home });
    await exportSecrets({ format: "json" }, exported.context);
    expect(JSON.parse(exported.stdout.text)).toEqual({ A: "one", C: "three" });
  });
});

describe("config", () => {
  it("path says where the file is; doctor returns exit 1 for an unset $VAR", async () => {
    const home = testDir({ ".hush/config.toml": LOCAL });
    const path = testContext({ home });
    configPath({ json: true }, path.context);
    expect(JSON.parse(path.stdout.text)).toEqual({
      path: join(home, ".hush/config.toml"),
      exists: true,
    });
    const doctor = testContext({ home, env: { HUSH__CLOUD__ENDPOINT: "http://127.0.0.1:9" } });
    expect(await configDoctor({}, doctor.context)).toBe(ExitCode.ERROR);
    expect(doctor.stdout.text).toMatch(/^FAIL {2}unset variable: context\.secrets\.STRIPE/m);
    expect(doctor.stdout.text).toMatch(/^warn {2}server: /m);
  });
});

describe("against a real hush-server, in this process", () => {
  it("logs in with --token, says who it is, and logs out", async () => {
    const server = await startRealServer();
    const home = testDir();
    const global = { endpoint: server.url };
    const logged = testContext({ home, global });
    await login({ token: ` ${server.tokens.RUNNER}\n` }, logged.context);
    expect(logged.stderr.text).toContain(
      `Logged in to ${server.url} as "runner" (RUNNER) in tenant "acme".`,
    );
    expect(logged.stderr.text).not.toContain(server.tokens.RUNNER);

    const who = testContext({ home, global });
    await whoami({}, who.context);
    expect(who.stdout.text).toMatch(/^endpoint {6}http:\/\/127\.0\.0\.1:\d+\ntenant {8}acme\n/);
    expect(who.stdout.text).toMatch(/^token {9}runner \(from \S+auth\.toml\)$/m);
    expect(who.stdout.text).toMatch(/^environments {2}all$/m);

    const out = testContext({ home, global });
    logout({}, out.context);
    expect(out.stderr.text).toBe(`Logged out of ${server.url}.\n`);
  });

  it("tokens and audit check their input before any request", async () => {
    const server = await startRealServer();
    const home = testDir({ ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\n` });
    const admin = { HUSH__CLOUD__API_KEY: server.tokens.TENANT_ADMIN };
    const { context, stdout } = testContext({ home, env: admin });
    const before = server.requests.length;
    await expect(tokensCreate({ name: "x", role: "ROOT" }, context)).rejects.toMatchObject({
      exitCode: ExitCode.USAGE,
      message: /--role must be one of TENANT_ADMIN, /,
    });
    for (const [limit, offset] of [
      ["0", "0"],
      ["1001", "0"],
      ["10", "-1"],
    ] as const) {
      await expect(audit({ limit, offset }, context)).rejects.toMatchObject({
        exitCode: ExitCode.USAGE,
      });
    }
    expect(server.requests.length).toBe(before);

    await tokensCreate({ name: "ci", role: "runner" }, context);
    const token = stdout.text.trim();
    const listed = testContext({ home, env: admin });
    await tokensList({}, listed.context);
    expect(listed.stdout.text).toMatch(
      /^ID\s+NAME\s+ROLE\s+ENVIRONMENTS\s+CREATED\s+EXPIRES\s+REVOKED$/m,
    );
    expect(listed.stdout.text).toMatch(/\sci\s+RUNNER\s+all\s/);
    expect(listed.stdout.text).not.toContain(token);
    const events = testContext({ home, env: admin });
    await audit({ limit: "1", offset: "0", json: true }, events.context);
    expect(JSON.parse(events.stdout.text)).toEqual([
      expect.objectContaining({ action: "CREATE_API_TOKEN", tokenName: "ci" }),
    ]);
  });
});
