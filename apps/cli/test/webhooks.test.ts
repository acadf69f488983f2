import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { startRealServer } from "@hush/integration-tests/real-server";
import { hasUnsafeDisplayChars } from "@hush/schema/display-text";
import { testDir } from "@hush/test-support";
import { describe, expect, it, onTestFinished } from "vitest";
import { hushInProcess } from "./in-process.js";

/** A loopback endpoint that answers 200 and keeps what it was sent. */
async function startReceiver() {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
  };
}

async function adminAt(secrets: Record<string, unknown> = {}) {
  const server = await startRealServer({ secrets });
  const home = testDir({ ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\n` });
  const env = { HUSH__CLOUD__API_KEY: server.tokens.TENANT_ADMIN };
  const hush = (args: string[]) => hushInProcess(args, { home, env });
  return { server, home, hush };
}

describe("hush webhooks", () => {
  it("refuses unknown actions and limits before calling the server, saying what it takes", async () => {
    const home = testDir();
    const events = await hushInProcess(
      ["webhooks", "create", "https://hooks.example.com", "--events", "SET,UPDATE"],
      { home },
    );
    expect(events.code).toBe(2);
    expect(events.stderr).toContain(
      "from SET, DELETE, ROLLBACK, COPY, CREATE_ENVIRONMENT, DELETE_ENVIRONMENT",
    );
    expect(events.stderr).toContain('not "UPDATE"');
    const empty = await hushInProcess(
      ["webhooks", "create", "https://hooks.example.com", "--events", "SET,,DELETE"],
      { home },
    );
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("--events takes actions separated by commas");
    const limit = await hushInProcess(["webhooks", "deliveries", "some-id", "--limit", "0"], {
      home,
    });
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain("--limit must be a whole number from 1 to 1000");
  });

  it("is listed in --help and in the completion scripts", async () => {
    const home = testDir();
    expect((await hushInProcess(["--help"], { home })).stdout).toMatch(/^ {2}webhooks\s/m);
    const help = (await hushInProcess(["webhooks", "create", "--help"], { home })).stdout;
    expect(help).toContain("--events <actions>");
    expect(help).toContain("hush webhooks create https://");
    const bash = (await hushInProcess(["completion", "bash"], { home })).stdout;
    expect(bash).toContain('webhooks) words="create list delete enable deliveries"');
    expect(bash).toMatch(/"webhooks create"\) words="--env --events --json/);
  });

  it("creates a webhook whose signing secret is printed once, lists, delivers, deletes", async () => {
    const { server, hush } = await adminAt();
    const receiver = await startReceiver();

    const created = await hush(["webhooks", "create", receiver.url, "--events", "set,delete"]);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(created.stdout).toBe(`${secret}\n`);
    expect(secret.length).toBeGreaterThanOrEqual(16);
    expect(created.stderr).toContain("shown only this once");
    expect(created.stderr).toContain("actions SET, DELETE");
    expect(created.stderr).not.toContain(secret);

    const list = await hush(["webhooks", "list", "--json"]);
    const [webhook, ...others] = JSON.parse(list.stdout);
    expect(others).toEqual([]);
    expect(webhook).toMatchObject({ url: receiver.url, environment: null, disabledAt: null });
    expect(webhook.events).toEqual(["SET", "DELETE"]);
    expect(list.stdout).not.toContain(secret);
    const table = await hush(["webhooks", "list"]);
    expect(table.stdout).toMatch(/ID\s+URL\s+ENVIRONMENT\s+EVENTS\s+STATUS\s+LAST OUTCOME/);
    expect(table.stdout).toContain(`${receiver.url}  all`);
    expect(table.stdout).toContain("SET,DELETE");
    expect(table.stdout).toContain("enabled");
    expect(table.stdout).not.toContain(secret);

    await server.setSecrets({ API_KEY: "s3cret-value" });
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(1);
    expect(receiver.received[0]?.body).not.toContain("s3cret-value");
    await expect
      .poll(
        async () =>
          JSON.parse((await hush(["webhooks", "deliveries", webhook.id, "--json"])).stdout)[0]
            ?.status,
        { timeout: 20_000 },
      )
      .toBe("DELIVERED");
    const deliveries = await hush(["webhooks", "deliveries", webhook.id]);
    expect(deliveries.code).toBe(0);
    expect(deliveries.stdout).toMatch(
      /STATUS\s+ATTEMPTS\s+LAST ATTEMPT\s+NEXT ATTEMPT\s+OUTCOME\s+CHANGE/,
    );
    expect(deliveries.stdout).toContain("DELIVERED");
    expect(deliveries.stdout).toMatch(/SET API_KEY v1 in \w+/);
    expect(deliveries.stdout).not.toContain("s3cret-value");

    // Enabling an enabled webhook leaves it enabled.
    const enabled = await hush(["webhooks", "enable", webhook.id]);
    expect(enabled.code).toBe(0);
    expect(enabled.stderr).toContain(`Enabled webhook ${webhook.id}`);

    const deleted = await hush(["webhooks", "delete", webhook.id]);
    expect(deleted.code).toBe(0);
    expect(JSON.parse((await hush(["webhooks", "list", "--json"])).stdout)).toEqual([]);
    expect((await hush(["webhooks", "delete", webhook.id])).code).toBe(3);
    const gone = await hush(["webhooks", "enable", webhook.id]);
    expect(gone.code).toBe(3);
    expect(gone.stderr).toMatch(/^hush: .*webhook/im);

    const audit = await hush(["audit", "--action", "CREATE_WEBHOOK"]);
    expect(audit.stdout).toContain(`webhook ${webhook.id}`);
    expect(audit.stdout).not.toContain(secret);
  }, 120_000);

  it("includes the signing secret in --json and refuses what the server refuses", async () => {
    const { server, hush } = await adminAt();
    const json = await hush([
      "webhooks",
      "create",
      "https://hooks.example.com/hush",
      "--env",
      "production",
      "--json",
    ]);
    expect(json.code).toBe(0);
    const created = JSON.parse(json.stdout);
    expect(created).toMatchObject({
      url: "https://hooks.example.com/hush",
      environment: "production",
    });
    expect(typeof created.signingSecret).toBe("string");
    expect(json.stderr).not.toContain(created.signingSecret);

    const bad = await hush(["webhooks", "create", "ftp://hooks.example.com"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^hush: .*https/m);
    const user = await hushInProcess(["webhooks", "list"], {
      home: testDir({ ".hush/config.toml": `[cloud]\nendpoint = "${server.url}"\n` }),
      env: { HUSH__CLOUD__API_KEY: server.tokens.USER },
    });
    expect(user.code).toBe(4);
    expect(user.stderr).toContain("TENANT_ADMIN");
  }, 60_000);

  it("escapes what the server sends in the deliveries table", async () => {
    const { server, hush } = await adminAt();
    server.failNext(1, {
      body: JSON.stringify({
        data: {
          webhookDeliveries: [
            {
              id: "d-1",
              status: "FAILED",
              attempts: 8,
              lastAttemptAt: "2030-01-01T00:00:00.000Z",
              nextAttemptAt: null,
              lastOutcome: "500 \u001b[2Jboom\u202e",
              change: {
                id: "c-1",
                tenant: "acme",
                environment: "production",
                name: "DB_URL",
                action: "ROLLBACK",
                version: 4,
                at: "2030-01-01T00:00:00.000Z",
                actor: "admin",
              },
            },
          ],
        },
      }),
    });
    const deliveries = await hush(["webhooks", "deliveries", "w-1"]);
    expect(deliveries.code).toBe(0);
    expect(deliveries.stdout).toContain("500 \\u001b[2Jboom\\u202e");
    expect(deliveries.stdout).toContain("ROLLBACK DB_URL v4 in production");
    expect(deliveries.stdout).toMatch(/FAILED\s+8\s+2030-01-01T00:00:00.000Z\s+500/);
    expect(hasUnsafeDisplayChars(deliveries.stdout.replaceAll("\n", ""))).toBe(false);
  }, 60_000);
});
