import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { type HushServerProcess, startHushServer } from "@hush/test-support";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { init } from "../src/cli/commands/init.js";
import { childEnv, graphql, testDir } from "./support/bin.js";
import { testIo } from "./support/cli.js";

const BAD_TOKEN = "hush_CANARYnotAtokenCANARYnotAtokenCANARYnotAtoken1";

describe("hush-server start in production", { timeout: 60_000 }, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let env: NodeJS.ProcessEnv;
  let token: string;
  const running: HushServerProcess[] = [];
  const start = async (...args: string[]) => {
    const server = await startHushServer(args, { cwd: dir, env });
    running.push(server);
    return server;
  };

  beforeEach(async () => {
    ({ dir, cleanup } = await testDir());
    env = childEnv(dir);
    const { io, stdout } = testIo(dir);
    expect(await init({ json: true }, io)).toBe(0);
    token = JSON.parse(stdout()).token;
  }, 30_000);
  afterEach(async () => {
    for (const server of running.splice(0)) {
      if (server.child.exitCode === null) await server.stop("SIGKILL");
    }
    await cleanup();
  });

  it("serves metrics on --metrics-port and writes logs to a file rotated by size", async () => {
    const logs = join(dir, "logs");
    const server = await start(
      "--metrics-port",
      "0",
      "--log-file",
      join(logs, "hush"),
      "--log-file-size",
      "1k",
      "--log-file-count",
      "2",
    );
    const metricsUrl = /metrics on (http:\/\/\S+)/.exec(server.output().stdout)?.[1];
    expect(metricsUrl).toBeDefined();
    for (let i = 0; i < 20; i++) {
      expect(await graphql(server.url, token, "{ secretNames }")).toEqual({
        data: { secretNames: [] },
      });
    }
    const scraped = await fetch(metricsUrl!);
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain(
      'hush_operations_total{operation="secretNames",outcome="ok"} 20',
    );
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);

    const stopped = await server.stop("SIGTERM");
    expect(stopped.code).toBe(0);
    // No log line on stdout: they went to the file, which was rotated and pruned.
    expect(stopped.stdout.split("\n").filter((l) => l.startsWith("{"))).toEqual([]);
    const files = (await readdir(logs)).filter((f) => f.endsWith(".log")).sort();
    expect(files.length).toBeGreaterThan(1);
    expect(files.length).toBeLessThanOrEqual(3);
    const all = (await Promise.all(files.map((f) => readFile(join(logs, f), "utf8")))).join("");
    expect(all).toContain('"msg":"stopped"');
    expect(all).not.toContain(token);
  });

  it("limits failed authentications per address and token, except with --dev", async () => {
    const limited = await start("--auth-failure-limit", "2");
    for (let i = 0; i < 2; i++) await graphql(limited.url, BAD_TOKEN, "{ secretNames }");
    const refused = await fetch(`${limited.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${BAD_TOKEN}` },
      body: JSON.stringify({ query: "{ secretNames }" }),
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.headers.get("cache-control")).toBe("no-store");
    // The failing token does not lock the address's valid token out.
    expect(await graphql(limited.url, token, "{ secretNames }")).toEqual({
      data: { secretNames: [] },
    });
    await limited.stop("SIGTERM");

    const dev = await start("--dev", "--auth-failure-limit", "2");
    for (let i = 0; i < 5; i++) await graphql(dev.url, BAD_TOKEN, "{ secretNames }");
    expect(await graphql(dev.url, token, "{ secretNames }")).toEqual({
      data: { secretNames: [] },
    });
  });
});
