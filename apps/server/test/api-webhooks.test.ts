import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import { Writable } from "node:stream";
import { listenForTest } from "@hush/test-support";
import pino from "pino";
import { afterEach, expect, it } from "vitest";
import type { HushService, OpenServiceOptions } from "../src/index.js";
import { type ApiFixture, codes, fieldOf, openApi } from "./api-support.js";
import { describeBackends, type TestBackend } from "./support/backends.js";

const VALUE = "webhook-value-that-must-never-leave";

const CREATE = `mutation Create($url: String!, $environment: String, $events: [SecretChangeAction!]) {
  createWebhook(input: { url: $url, environment: $environment, events: $events }) {
    webhook { id url environment events created createdBy disabledAt lastOutcome }
    signingSecret
  }
}`;
const LIST = "{ webhooks { id url environment events disabledAt lastOutcome } }";
const DELIVERIES = `query D($webhook: ID!) { webhookDeliveries(webhook: $webhook) {
  id status attempts lastAttemptAt nextAttemptAt lastOutcome
  change { id tenant environment name action version actor }
} }`;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook endpoint on loopback that answers each POST with the next status of `statuses`. */
async function receiver(statuses: number[]) {
  const received: Received[] = [];
  const waiting: Array<() => void> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
      response.statusCode = statuses.shift() ?? 200;
      response.end("ok");
      for (const wake of waiting.splice(0)) wake();
    });
  });
  const port = await listenForTest(server);
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** Resolves once `count` requests came (10 s at most). */
    async until(count: number) {
      const deadline = Date.now() + 10_000;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${received.length} requests came`);
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    },
  };
}

const FAST: Partial<OpenServiceOptions> = {
  webhookRetryDelaysMs: [50, 50, 50, 50, 50],
  webhookPollIntervalMs: 25,
};

function signatureOk(received: Received, secret: string): boolean {
  const expected = createHmac("sha256", secret).update(received.body).digest("hex");
  return received.headers["x-hush-signature"] === `sha256=${expected}`;
}

describeBackends("webhooks", (backend: TestBackend) => {
  let api: ApiFixture | undefined;

  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  async function open(service: Partial<OpenServiceOptions> = {}, logger?: pino.Logger) {
    api = await openApi(backend, {
      service: { ...FAST, ...service },
      ...(logger ? { logger } : {}),
    });
    return api;
  }

  async function create(
    fixture: ApiFixture,
    variables: Record<string, unknown>,
    token = fixture.acme.tokens.TENANT_ADMIN,
  ) {
    return fixture.gql(CREATE, { token, variables });
  }

  it("registers a webhook with a signing secret shown once, for admins only, audited", async () => {
    const fixture = await open();
    const endpoint = await receiver([]);
    const response = await create(fixture, { url: endpoint.url, events: ["DELETE", "SET"] });
    const created = fieldOf<{
      webhook: { id: string; events: string[]; createdBy: string; disabledAt: null };
      signingSecret: string;
    }>(response, "createWebhook");
    expect(created.signingSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.webhook).toMatchObject({ events: ["SET", "DELETE"], createdBy: "admin" });
    const listed = await fixture.gql(LIST, { token: fixture.acme.tokens.TENANT_ADMIN });
    expect(listed.raw).not.toContain(created.signingSecret);
    expect(fieldOf<unknown[]>(listed, "webhooks")).toHaveLength(1);
    const events = await fixture.service.auditEvents(fixture.acme.callers.TENANT_ADMIN, {
      limit: 10,
      offset: 0,
      action: "CREATE_WEBHOOK",
    });
    expect(events.map((e) => [e.outcome, e.webhookId])).toEqual([["SUCCESS", created.webhook.id]]);
    expect(JSON.stringify(events)).not.toContain(created.signingSecret);

    expect(codes(await create(fixture, { url: endpoint.url }, fixture.acme.tokens.USER))).toEqual([
      "FORBIDDEN",
    ]);
    expect(codes(await fixture.gql(LIST, { token: fixture.acme.tokens.RUNNER }))).toEqual([
      "FORBIDDEN",
    ]);
    // Another tenant does not see it.
    const other = await fixture.gql(LIST, { token: fixture.globex.tokens.TENANT_ADMIN });
    expect(fieldOf<unknown[]>(other, "webhooks")).toEqual([]);
  });

  it("accepts https, and http on loopback only; private addresses only with the flag", async () => {
    const fixture = await open();
    const plain = await create(fixture, { url: "http://example.com/hook" });
    expect(codes(plain)).toEqual(["BAD_USER_INPUT"]);
    expect(plain.body.errors?.[0]?.message).toContain("https");
    const internal = await create(fixture, { url: "https://10.1.2.3/hook" });
    expect(codes(internal)).toEqual(["BAD_USER_INPUT"]);
    expect(internal.body.errors?.[0]?.message).toContain("--allow-private-webhooks");
    expect(codes(await create(fixture, { url: "https://hooks.example.com/x" }))).toEqual([]);
    expect(codes(await create(fixture, { url: "not a url" }))).toEqual(["BAD_USER_INPUT"]);
    expect(
      codes(await create(fixture, { url: "https://x.example/", environment: "nope" })),
    ).toEqual(["BAD_USER_INPUT"]);
    await fixture.close();
    api = undefined;

    const allowing = await open({ allowPrivateWebhooks: true });
    expect(codes(await create(allowing, { url: "https://10.1.2.3/hook" }))).toEqual([]);
  });

  it("sends signed, value-free deliveries, retried after a 500 with the same delivery id", async () => {
    const lines: string[] = [];
    const fixture = await open({}, capture(lines, "debug"));
    const endpoint = await receiver([500, 200]);
    const created = fieldOf<{ webhook: { id: string }; signingSecret: string }>(
      await create(fixture, { url: endpoint.url }),
      "createWebhook",
    );
    await fixture.service.setSecret(fixture.acme.callers.TENANT_ADMIN, "DB_PASSWORD", VALUE);
    await endpoint.until(2);
    const [first, second] = endpoint.received as [Received, Received];
    for (const request of [first, second]) {
      expect(request.body).not.toContain(VALUE);
      expect(signatureOk(request, created.signingSecret)).toBe(true);
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers["user-agent"]).toBe("hush-webhooks");
      expect(request.headers["x-hush-event"]).toBe("SET");
    }
    expect(signatureOk(first, "whsec_wrong")).toBe(false);
    expect(second.headers["x-hush-delivery"]).toBe(first.headers["x-hush-delivery"]);
    const body = JSON.parse(second.body);
    expect(body).toMatchObject({
      id: first.headers["x-hush-delivery"],
      event: "SET",
      change: {
        tenant: "acme",
        environment: "production",
        name: "DB_PASSWORD",
        action: "SET",
        version: 1,
        actor: "admin",
      },
    });
    expect(Date.parse(body.timestamp)).not.toBeNaN();

    const deliveries = async () =>
      fieldOf<Array<{ status: string; attempts: number; lastOutcome: string; id: string }>>(
        await fixture.gql(DELIVERIES, {
          token: fixture.acme.tokens.TENANT_ADMIN,
          variables: { webhook: created.webhook.id },
        }),
        "webhookDeliveries",
      );
    await until(async () => (await deliveries())[0]?.status === "DELIVERED");
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ status: "DELIVERED", attempts: 2, lastOutcome: "200 OK" });
    expect(delivery?.id).toBe(first.headers["x-hush-delivery"]);
    const [webhook] = fieldOf<Array<{ lastOutcome: string }>>(
      await fixture.gql(LIST, { token: fixture.acme.tokens.TENANT_ADMIN }),
      "webhooks",
    );
    expect(webhook?.lastOutcome).toBe("200 OK");
    // Neither the value nor the signing secret is in any log line.
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join("")).not.toContain(VALUE);
    expect(lines.join("")).not.toContain(created.signingSecret);
  });

  it("sends only the environment and actions a webhook asks for", async () => {
    const fixture = await open();
    const admin = fixture.acme.callers.TENANT_ADMIN;
    await fixture.service.createEnvironment(admin, "staging");
    const endpoint = await receiver([]);
    await create(fixture, { url: endpoint.url, environment: "staging", events: ["DELETE"] });
    await fixture.service.setSecret(admin, "A", "1", "staging");
    await fixture.service.setSecret(admin, "A", "1", "production");
    await fixture.service.deleteSecret(admin, "A", "production");
    await fixture.service.deleteSecret(admin, "A", "staging");
    await endpoint.until(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(endpoint.received.map((r) => JSON.parse(r.body).change)).toMatchObject([
      { environment: "staging", action: "DELETE", name: "A" },
    ]);
  });

  it("keeps a pending delivery across a restart and sends it after", async () => {
    const fixture = await open({ webhookRetryDelaysMs: [400] });
    const endpoint = await receiver([503, 200]);
    await create(fixture, { url: endpoint.url });
    await fixture.service.setSecret(fixture.acme.callers.TENANT_ADMIN, "KEY", VALUE);
    await endpoint.until(1);
    await fixture.service.close();
    const restarted: HushService = await fixture.backend.reopen({
      ...FAST,
      webhookRetryDelaysMs: [400],
    });
    await endpoint.until(2);
    expect(endpoint.received[1]?.headers["x-hush-delivery"]).toBe(
      endpoint.received[0]?.headers["x-hush-delivery"],
    );
    expect(endpoint.received[1]?.body).not.toContain(VALUE);
    await restarted.close();
  });

  it("disables a webhook that failed for a day, fails what it had left, and enables it again", async () => {
    let now = Date.parse("2030-01-01T00:00:00Z");
    const lines: string[] = [];
    const fixture = await open(
      { clock: () => new Date(now), webhookRetryDelaysMs: [60_000, 60_000, 60_000] },
      capture(lines, "warn"),
    );
    const admin = fixture.acme.callers.TENANT_ADMIN;
    const endpoint = await receiver([500, 500, 500, 500]);
    const { webhook } = fieldOf<{ webhook: { id: string } }>(
      await create(fixture, { url: endpoint.url }),
      "createWebhook",
    );
    await fixture.service.setSecret(admin, "ONE", "1");
    await until(
      async () => (await fixture.service.webhookDeliveries(admin, webhook.id))[0]?.attempts === 1,
    );
    now += 25 * 3_600_000;
    await fixture.service.setSecret(admin, "TWO", "2");
    await endpoint.until(2);
    await until(async () => (await fixture.service.webhooks(admin))[0]?.disabledAt !== null);
    const [disabled] = await fixture.service.webhooks(admin);
    expect(disabled?.disabledAt?.getTime()).toBe(now);
    expect(disabled?.lastOutcome).toBe("500 Internal Server Error");
    const deliveries = await fixture.service.webhookDeliveries(admin, webhook.id);
    expect(deliveries.map((d) => d.status)).toEqual(["FAILED", "FAILED"]);
    expect(lines.join("")).toContain("webhook disabled");
    expect(lines.join("")).not.toContain(endpoint.url);

    // Disabled: no more deliveries, until enabled again.
    await fixture.service.setSecret(admin, "THREE", "3");
    expect((await fixture.service.webhookDeliveries(admin, webhook.id)).length).toBe(2);
    const enabled = await fixture.service.enableWebhook(admin, webhook.id);
    expect(enabled.disabledAt).toBeNull();
    await fixture.service.setSecret(admin, "FOUR", "4");
    await endpoint.until(3);
  });

  it("deletes a webhook with its pending deliveries, audited", async () => {
    const fixture = await open({ webhookRetryDelaysMs: [60_000] });
    const admin = fixture.acme.callers.TENANT_ADMIN;
    const endpoint = await receiver([500]);
    const { webhook } = fieldOf<{ webhook: { id: string } }>(
      await create(fixture, { url: endpoint.url }),
      "createWebhook",
    );
    await fixture.service.setSecret(admin, "A", "1");
    await endpoint.until(1);
    const gone = await fixture.gql(
      "mutation ($id: ID!) { deleteWebhook(input: { id: $id }) { success } }",
      { token: fixture.acme.tokens.TENANT_ADMIN, variables: { id: webhook.id } },
    );
    expect(fieldOf(gone, "deleteWebhook")).toEqual({ success: true });
    expect(await fixture.service.webhooks(admin)).toEqual([]);
    const again = await fixture.gql(DELIVERIES, {
      token: fixture.acme.tokens.TENANT_ADMIN,
      variables: { webhook: webhook.id },
    });
    expect(codes(again)).toEqual(["NOT_FOUND"]);
    const audited = await fixture.service.auditEvents(admin, {
      limit: 10,
      offset: 0,
      action: "DELETE_WEBHOOK",
    });
    expect(audited.map((e) => e.webhookId)).toEqual([webhook.id]);
  });

  it("lets a token scoped to environments register webhooks of those only", async () => {
    const fixture = await open();
    const admin = fixture.acme.callers.TENANT_ADMIN;
    await fixture.service.createEnvironment(admin, "staging");
    const scoped = await fixture.service.createApiToken(admin, {
      name: "staging-admin",
      role: "TENANT_ADMIN",
      environments: ["staging"],
    });
    const url = "https://hooks.example.com/x";
    expect(codes(await create(fixture, { url }, scoped.token))).toEqual(["FORBIDDEN"]);
    expect(codes(await create(fixture, { url, environment: "production" }, scoped.token))).toEqual([
      "FORBIDDEN",
    ]);
    expect(codes(await create(fixture, { url, environment: "staging" }, scoped.token))).toEqual([]);
  });
});

/** A logger whose lines land in `lines`. */
function capture(lines: string[], level: "debug" | "warn"): pino.Logger {
  return pino(
    { level },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
}

/** Resolves once `check` is true; polls every 25 ms, for 10 s at most. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("timed out");
}
