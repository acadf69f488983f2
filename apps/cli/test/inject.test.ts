import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startRealServer } from "@hush/integration-tests/real-server";
import { testDir } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { hushInProcess } from "./in-process.js";

const PEM =
  "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASC\nAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----\n";
const QUOTED = `it's "quoted" $HOME \${X} \`tick\` back\\slash \\n`;
const UNICODE = "ünï € 😀 \u202e";

const TEMPLATE = `# app config — "copied" as is: $PATH \\ {{ not a reference }}
password: "{{ hush://QUOTED }}"
key: |
{{hush://PEM}}
name={{   hush://UNICODE  }}
object={{ hush://OBJECT }} staging={{ hush://staging/QUOTED }}
`;

/** A real server with secrets in the default environment and in staging; a home that uses it. */
async function setUp() {
  const server = await startRealServer({
    secrets: { QUOTED, PEM, UNICODE, OBJECT: { port: 5432, tags: ["a"] } },
  });
  const home = testDir({
    ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\nuse_local_secrets = false\n`,
    "app.tpl": TEMPLATE,
  });
  const env = { HUSH__CLOUD__API_KEY: server.tokens.TENANT_ADMIN };
  const hush = (args: string[]) => hushInProcess(args, { home, env });
  expect((await hush(["env", "create", "staging"])).code).toBe(0);
  expect((await hush(["secrets", "set", "QUOTED", "staging $value", "-e", "staging"])).code).toBe(
    0,
  );
  return { server, home, hush };
}

const RENDERED = `# app config — "copied" as is: $PATH \\ {{ not a reference }}
password: "${QUOTED}"
key: |
${PEM}
name=${UNICODE}
object={"port":5432,"tags":["a"]} staging=staging $value
`;

describe("hush inject against a real hush-server", () => {
  it("renders exactly into a 0600 file, each environment in one round trip, and to stdout", async () => {
    const { server, home, hush } = await setUp();
    const out = join(home, "app.conf");
    writeFileSync(out, "old", { mode: 0o644 });
    const before = server.requests.length;
    const result = await hush(["inject", "-i", join(home, "app.tpl"), "-o", out]);
    expect(result).toMatchObject({ code: 0, stdout: "" });
    expect(readFileSync(out, "utf8")).toBe(RENDERED);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    // One secretValues per environment named.
    const reads = server.requests.slice(before).filter((r) => r.fields.includes("secretValues"));
    expect(reads).toHaveLength(2);
    for (const value of [QUOTED, PEM, "5432"]) expect(result.stderr).not.toContain(value);

    const printed = await hush(["inject", "--input", join(home, "app.tpl")]);
    expect(printed).toMatchObject({ code: 0, stdout: RENDERED });
  });

  it("writes nothing on a missing name (exit 3, every missing reference named)", async () => {
    const { home, hush } = await setUp();
    const out = join(home, "app.conf");
    writeFileSync(out, "old", { mode: 0o600 });
    writeFileSync(
      join(home, "missing.tpl"),
      "{{ hush://QUOTED }}\n{{ hush://NOPE }} {{ hush://staging/PEM }}\n",
    );
    const result = await hush(["inject", "-i", join(home, "missing.tpl"), "-o", out]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `{{ hush://NOPE }} (${join(home, "missing.tpl")}:2:1), {{ hush://staging/PEM }} (${join(home, "missing.tpl")}:2:19)`,
    );
    expect(result.stderr).toContain("Nothing was written.");
    expect(result.stderr).not.toContain(QUOTED);
    expect(readFileSync(out, "utf8")).toBe("old");
    expect(readdirSync(home).filter((f) => f.endsWith(".tmp"))).toEqual([]);

    const fresh = join(home, "fresh.conf");
    expect((await hush(["inject", "-i", join(home, "missing.tpl"), "-o", fresh])).code).toBe(3);
    expect(existsSync(fresh)).toBe(false);
  });

  it("refuses an invalid reference with its line:column (exit 2), before any request", async () => {
    const { server, home, hush } = await setUp();
    writeFileSync(join(home, "bad.tpl"), "ok {{ hush://QUOTED }}\n  x {{ hush://has space }}\n");
    const before = server.requests.length;
    const result = await hush(["inject", "-i", join(home, "bad.tpl")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${join(home, "bad.tpl")}:2:5: The secret name contains`);
    expect(result.stdout).toBe("");
    expect(server.requests.length).toBe(before);
  });
});
