import { startRealServer } from "@hush/integration-tests/real-server";
import { testDir } from "@hush/test-support";
import { describe, expect, it } from "vitest";
import { hush } from "./hush.js";

// 12 values of 20 kB: 240 kB, past a server that lets one request read 100 kB.
const values = Object.fromEntries(
  Array.from({ length: 12 }, (_, i) => [`BIG_${i}`, String.fromCharCode(97 + i).repeat(20_000)]),
);

describe("a tenant whose values are more than one request may read", () => {
  it("is read whole by run and export, in several requests", async () => {
    const server = await startRealServer({ maxRequestValueBytes: 100_000, secrets: values });
    const home = testDir({
      ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\nuse_local_secrets = false\n`,
    });
    const env = { HUSH__CLOUD__API_KEY: server.tokens.RUNNER };
    const script =
      "const names = Object.keys(process.env).filter((n) => n.startsWith('BIG_')).sort();" +
      "console.log(names.map((n) => n + '=' + process.env[n].length + process.env[n][0]).join(' '))";
    const run = await hush(["run", "--", process.execPath, "-e", script], { home, env });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(
      Object.keys(values)
        .sort()
        .map((name) => `${name}=20000${values[name]?.[0]}`)
        .join(" "),
    );

    const exported = await hush(["export", "--format", "json"], { home, env });
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual(values);
    expect(server.requests.filter((r) => r.fields.includes("secretNames")).length).toBe(2);
  });
});
