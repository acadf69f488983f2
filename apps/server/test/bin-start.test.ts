import { connect, createServer } from "node:net";
import { configure, resetConfiguration, Secret } from "@hush/core";
import { type HushServerProcess, startHushServer } from "@hush/test-support";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { init as initCommand } from "../src/cli/commands/init.js";
import { childEnv, graphql, runBin, testDir } from "./support/bin.js";
import { testIo } from "./support/cli.js";

const SEED_SET = 'mutation { setSecret(input: {name: "KEY", value: "VALUE"}) { success } }';
const SEED_LIST = "query { secret(order_by: {name: asc}) { name } }";
const READ = 'query { secret_value(name: "KEY") }';

describe("hush-server start", { timeout: 60_000 }, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let env: NodeJS.ProcessEnv;
  const running: HushServerProcess[] = [];
  const start = async (...args: string[]) => {
    const server = await startHushServer(args, { cwd: dir, env });
    running.push(server);
    return server;
  };
  const init = async () => {
    const { io, stdout } = testIo(dir);
    expect(await initCommand({ json: true }, io)).toBe(0);
    return JSON.parse(stdout()).token as string;
  };

  beforeEach(async () => {
    ({ dir, cleanup } = await testDir());
    env = childEnv(dir);
  });
  afterEach(async () => {
    resetConfiguration();
    for (const server of running.splice(0)) {
      if (server.child.exitCode === null) await server.stop("SIGKILL");
    }
    await cleanup();
  });

  it("serves the seed's operations, stops on SIGTERM and keeps the data across restarts", async () => {
    const token = await init();
    const first = await start();
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await graphql(first.url, token, SEED_SET)).toEqual({
      data: { setSecret: { success: true } },
    });
    expect(await graphql(first.url, token, SEED_LIST)).toEqual({
      data: { secret: [{ name: "KEY" }] },
    });
    expect(await graphql(first.url, token, READ)).toEqual({ data: { secret_value: "VALUE" } });

    const stopped = await first.stop("SIGTERM");
    expect(stopped.code).toBe(0);
    const lines = stopped.stdout.split("\n").filter((l) => l.startsWith("{"));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(stopped.stdout).toContain('"msg":"stopped"');
    // Logs never hold the token or the value.
    expect(stopped.stdout + stopped.stderr).not.toContain(token);
    expect(stopped.stdout + stopped.stderr).not.toContain("VALUE");

    const second = await start();
    expect(await graphql(second.url, token, READ)).toEqual({ data: { secret_value: "VALUE" } });
    expect((await second.stop("SIGINT")).code).toBe(0);
  });

  it("is what @hush/core reads from in cloud mode", async () => {
    const token = await init();
    const server = await start();
    await graphql(server.url, token, SEED_SET);
    await graphql(
      server.url,
      token,
      'mutation Set($value: JSON!) { set_secret(input: {name: "DB", value: $value}) { success } }',
      { value: { user: "app", port: 5432 } },
    );
    configure({
      homeDir: dir,
      env: {
        HUSH__BACKEND: "cloud",
        HUSH__CLOUD__USE_LOCAL_SECRETS: "false",
        HUSH__CLOUD__ENDPOINT: server.url,
        HUSH__CLOUD__API_KEY: token,
      },
    });
    expect(await new Secret("KEY").get()).toBe("VALUE");
    expect(await new Secret("DB").get()).toEqual({ user: "app", port: 5432 });
    expect(await new Secret("KEY").exists()).toBe(true);
    await expect(new Secret("MISSING").get()).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("says when the port is taken, and exits 1", async () => {
    await init();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = await runBin(["start", "--port", String(port)], { cwd: dir, env });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(result.stderr).toContain("--port");
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
    }
  });

  // A bad one is a usage error: cli-parsing.test.ts.
  it("takes the audit retention as flags", async () => {
    const server = await start("--audit-max-age-days", "0", "--audit-max-events", "100");
    expect((await server.stop()).code).toBe(0);
  });

  it("lets webhooks target private addresses only with --allow-private-webhooks or its variable", async () => {
    const token = await init();
    const create =
      'mutation { createWebhook(input: { url: "https://10.1.2.3/hook" }) { webhook { url } } }';
    const strict = await start();
    const refused = (await graphql(strict.url, token, create)) as {
      errors?: Array<{ message: string; extensions: { code: string } }>;
    };
    expect(refused.errors?.[0]?.extensions.code).toBe("BAD_USER_INPUT");
    expect(refused.errors?.[0]?.message).toContain("--allow-private-webhooks");
    await strict.stop();
    const flagged = await start("--allow-private-webhooks");
    expect(await graphql(flagged.url, token, create)).toEqual({
      data: { createWebhook: { webhook: { url: "https://10.1.2.3/hook" } } },
    });
    await flagged.stop();
    env = { ...env, HUSH_ALLOW_PRIVATE_WEBHOOKS: "1" };
    const byVariable = await start();
    expect((await graphql(byVariable.url, token, create)) as object).not.toHaveProperty("errors");
    await byVariable.stop();
  });

  it("warns when there is no tenant yet", async () => {
    const server = await start();
    const stopped = await server.stop();
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toContain("there is no tenant yet");
    expect(stopped.stderr).toContain("Run hush-server init");
  });

  it("cuts off a slow request body after --request-timeout-ms, and keeps serving", async () => {
    const token = await init();
    const server = await start("--request-timeout-ms", "300", "--headers-timeout-ms", "200");
    const socket = connect(Number(new URL(server.url).port), "127.0.0.1");
    let received = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      received += chunk;
    });
    // The server may reset the connection while this client is still trickling its body: that
    // is the cut-off being tested, not a failure (the 408 and "close" are checked below).
    socket.on("error", () => {});
    socket.write(
      "POST /graphql HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
    );
    const timer = setInterval(() => socket.writable && socket.write("x"), 20);
    await new Promise((resolve) => socket.once("close", resolve));
    clearInterval(timer);
    expect(received).toMatch(/^HTTP\/1\.1 408 /);
    expect(await graphql(server.url, token, "{ secretNames }")).toEqual({
      data: { secretNames: [] },
    });
  });

  // Not whole numbers: cli-parsing.test.ts; these are refused once the service is open.
  it("refuses HTTP timeouts that do not fit together", async () => {
    await init();
    const mismatched = await runBin(["start", "--port", "0"], {
      cwd: dir,
      env: { ...env, HUSH_REQUEST_TIMEOUT_MS: "1000", HUSH_HEADERS_TIMEOUT_MS: "5000" },
    });
    expect(mismatched.code).toBe(2);
    expect(mismatched.stderr).toContain("must not be longer than the request timeout");
  });
});
