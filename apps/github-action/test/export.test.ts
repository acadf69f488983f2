import { createClient } from "@hush/graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EARLIER_LINES,
  masksOf,
  parseFileCommand,
  runBuiltAction,
  shownText,
  startTestServer,
  type TestServer,
} from "./support.js";

/** Values a file command, a shell or a log could get wrong. */
const VALUES = {
  TRICKY: `a 'single' "double" $HOME \`tick\` back\\slash ünï € 🔑`,
  PEM: "-----BEGIN KEY-----\n  c2VjcmV0LWxpbmUtb25l  \nc2VjcmV0LWxpbmUtdHdv\n-----END KEY-----",
  CREDENTIALS: { user: "deploy-bot", password: "pa$$ word\twith tab" },
  PORT_NUMBER: 54321,
};
const CI_VALUES = { CI_ONLY_A: "ci value a", CI_ONLY_B: "ci value b" };

describe("the built action, with a hush API token", { timeout: 60_000 }, () => {
  let server: TestServer;
  let runnerToken: string;

  beforeAll(async () => {
    server = await startTestServer();
    const admin = createClient({ endpoint: server.url, apiKey: server.adminToken });
    await admin.setSecrets(Object.entries(VALUES).map(([name, value]) => ({ name, value })));
    await admin.setSecrets([
      { name: "my-key", value: "dashed name value" },
      { name: "NODE_OPTIONS", value: "--require ./evil.js" },
      { name: "GITHUB_TOKEN_COPY", value: "reserved name value" },
    ]);
    await admin.createEnvironment({ name: "ci" });
    const ci = createClient({ endpoint: server.url, apiKey: server.adminToken, environment: "ci" });
    await ci.setSecrets(Object.entries(CI_VALUES).map(([name, value]) => ({ name, value })));
    runnerToken = (await admin.createApiToken({ name: "action", role: "RUNNER" })).token;
  });
  afterAll(() => server?.stop());

  const inputs = (more: Record<string, string> = {}) => ({
    endpoint: server.url,
    token: runnerToken,
    secrets: Object.keys(VALUES).join("\n"),
    ...more,
  });

  it("appends each value to $GITHUB_ENV exactly, masked first, and prints no value", async () => {
    const run = await runBuiltAction(inputs());

    expect(run.code).toBe(0);
    expect(run.githubEnv.startsWith(EARLIER_LINES)).toBe(true);
    expect(parseFileCommand(run.githubEnv)).toEqual({
      EARLIER: "from an earlier step",
      TRICKY: VALUES.TRICKY,
      PEM: VALUES.PEM,
      CREDENTIALS: JSON.stringify(VALUES.CREDENTIALS),
      PORT_NUMBER: "54321",
    });
    // Random delimiters, one per run: a value cannot know it.
    expect(run.githubEnv).toMatch(/^TRICKY<<ghadelimiter_[0-9a-f-]{36}$/m);
    expect(parseFileCommand(run.githubOutput).exported).toBe(
      "CREDENTIALS\nPEM\nPORT_NUMBER\nTRICKY",
    );

    const masks = masksOf(run.stdout);
    const expected = [
      runnerToken,
      VALUES.TRICKY,
      // JSON-string form: the quotes and backslash escaped.
      `a 'single' \\"double\\" $HOME \`tick\` back\\\\slash ünï € 🔑`,
      VALUES.PEM,
      String.raw`-----BEGIN KEY-----\n  c2VjcmV0LWxpbmUtb25l  \nc2VjcmV0LWxpbmUtdHdv\n-----END KEY-----`,
      // Each line, as it is and trimmed: the runner masks the log line by line.
      "-----BEGIN KEY-----",
      "  c2VjcmV0LWxpbmUtb25l  ",
      "c2VjcmV0LWxpbmUtb25l",
      "c2VjcmV0LWxpbmUtdHdv",
      JSON.stringify(VALUES.CREDENTIALS),
      "pa$$ word\twith tab",
      String.raw`pa$$ word\twith tab`,
      "54321",
    ];
    expect(expected.filter((form) => !masks.includes(form))).toEqual([]);
    // The token first, every mask before anything else is printed.
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`::add-mask::${runnerToken}`);
    expect(lines.at(-1)).toBe(
      `hush: exported 4 secrets from ${server.url} to the job's environment: CREDENTIALS, PEM, PORT_NUMBER, TRICKY`,
    );
    expect(lines.slice(0, -1).every((line) => line.startsWith("::add-mask::"))).toBe(true);

    const shown = shownText(run);
    for (const text of [runnerToken, VALUES.TRICKY, "c2VjcmV0LWxpbmUtb25l", "pa$$ word", "54321"]) {
      expect(shown).not.toContain(text);
    }
  });

  it("sets this step's outputs with export: outputs, leaving $GITHUB_ENV as it was", async () => {
    const run = await runBuiltAction(inputs({ export: "outputs", secrets: "PEM\nmy-key" }));

    expect(run.code).toBe(0);
    expect(run.githubEnv).toBe(EARLIER_LINES);
    expect(parseFileCommand(run.githubOutput)).toEqual({
      EARLIER: "from an earlier step",
      PEM: VALUES.PEM,
      "my-key": "dashed name value",
      exported: "PEM\nmy-key",
    });
    expect(masksOf(run.stdout)).toContain("dashed name value");
    expect(shownText(run)).toContain("to this step's outputs: PEM, my-key");
  });

  it("reads every secret of the environment given when secrets is empty", async () => {
    const run = await runBuiltAction(inputs({ secrets: "", environment: "ci" }));

    expect(run.code).toBe(0);
    expect(parseFileCommand(run.githubEnv)).toEqual({
      EARLIER: "from an earlier step",
      ...CI_VALUES,
    });
    expect(masksOf(run.stdout)).toEqual(expect.arrayContaining(Object.values(CI_VALUES)));
  });

  it("fails naming the missing secrets, and writes nothing", async () => {
    const run = await runBuiltAction(inputs({ secrets: "TRICKY\nNOT_THERE\nALSO_MISSING" }));

    expect(run.code).toBe(1);
    expect(run.githubEnv).toBe(EARLIER_LINES);
    expect(run.githubOutput).toBe(EARLIER_LINES);
    expect(run.stdout).toMatch(/^::error::Nothing was exported: .*ALSO_MISSING.*NOT_THERE/m);
    expect(shownText(run)).not.toContain(VALUES.TRICKY);
  });

  it("refuses names that are no variable names, GitHub's own, and start-up variables", async () => {
    const run = await runBuiltAction(
      inputs({ secrets: "TRICKY\nmy-key\nNODE_OPTIONS\nGITHUB_TOKEN_COPY" }),
    );

    expect(run.code).toBe(1);
    expect(run.githubEnv).toBe(EARLIER_LINES);
    expect(run.githubOutput).toBe(EARLIER_LINES);
    const [error] = run.stdout.split("\n").filter((l) => l.startsWith("::error::"));
    expect(error).toContain("my-key: not environment variable names");
    expect(error).toContain("use export: outputs");
    expect(error).toContain("GITHUB_TOKEN_COPY: GitHub reserves");
    expect(error).toContain("NODE_OPTIONS: as environment variables it changes how programs start");
    expect(error).toContain("allow-env");
    // Masked all the same: they were read.
    expect(masksOf(run.stdout)).toContain("--require ./evil.js");
    for (const value of ["--require ./evil.js", "reserved name value", "dashed name value"]) {
      expect(shownText(run)).not.toContain(value);
    }
  });

  it("keeps its own output exported from being set by a secret", async () => {
    const admin = createClient({ endpoint: server.url, apiKey: server.adminToken });
    await admin.setSecret("exported", "not the names");
    const run = await runBuiltAction(inputs({ export: "outputs", secrets: "exported" }));

    expect(run.code).toBe(1);
    expect(run.githubOutput).toBe(EARLIER_LINES);
    expect(run.stdout).toContain(
      "::error::Nothing was exported. exported: this action's own output",
    );
  });

  it("exports a start-up variable that allow-env names", async () => {
    const run = await runBuiltAction(
      inputs({ secrets: "NODE_OPTIONS", "allow-env": "node_options" }),
    );

    expect(run.code).toBe(0);
    expect(parseFileCommand(run.githubEnv).NODE_OPTIONS).toBe("--require ./evil.js");
  });

  it("says which input to fix when the token is refused, without printing it", async () => {
    const badToken = `${runnerToken.slice(0, -4)}AAAA`;
    const run = await runBuiltAction(inputs({ token: badToken }));

    expect(run.code).toBe(1);
    expect(run.githubEnv).toBe(EARLIER_LINES);
    expect(run.stdout).toMatch(/^::error::.*rejected the API token.*Check the input token/m);
    expect(masksOf(run.stdout)).toContain(badToken);
    expect(shownText(run)).not.toContain(badToken);
  });

  it("fails with what to do when there is neither a token nor an OpenID Connect token", async () => {
    const run = await runBuiltAction({ endpoint: server.url });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain("permissions: id-token: write");
    expect(run.githubEnv).toBe(EARLIER_LINES);
  });

  it("writes nothing when one of the files GitHub names is missing", async () => {
    const run = await runBuiltAction(inputs(), { GITHUB_OUTPUT: "" });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain("::error::GITHUB_OUTPUT is not set");
    expect(run.githubEnv).toBe(EARLIER_LINES);
  });

  it("refuses an export input it does not know", async () => {
    const run = await runBuiltAction(inputs({ export: "files" }));

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      "::error::The input export must be env (the job's environment) or outputs (this step's outputs); got \"files\".",
    );
  });
});
