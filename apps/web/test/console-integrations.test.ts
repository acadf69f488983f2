import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { startTestIssuer, type TestIssuer } from "@hush/test-support";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DESKTOP,
  launchChromium,
  PHONE,
  screenshot,
  seriousViolations,
} from "./support/browser.js";
import { type HushServer, startHushServer } from "./support/hush-server.js";

// One server, issuer, webhook endpoint, browser and page for the file: the steps build on each
// other the way an admin's session does.
let server: HushServer;
let issuer: TestIssuer;
let browser: Browser;
let page: Page;
let closeReceiver: () => Promise<void>;
let receiverUrl: string;
const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
const requests: Array<{ url: string; body: string }> = [];

/** A loopback webhook endpoint that answers 200 and keeps what it was sent. */
async function startReceiver(): Promise<void> {
  const endpoint = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    request.on("end", () => {
      received.push({ headers: request.headers, body });
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/hook`;
  closeReceiver = () => new Promise((resolve) => endpoint.close(() => resolve()));
}

beforeAll(async () => {
  [server, browser, issuer] = await Promise.all([
    startHushServer(),
    launchChromium(),
    startTestIssuer(),
    startReceiver(),
  ]);
  const context = await browser.newContext({ viewport: DESKTOP });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  page = await context.newPage();
  page.on("request", (request) => {
    requests.push({ url: request.url(), body: request.postData() ?? "" });
  });
  await page.goto(`${server.url}/`);
  await page.getByLabel("API token").fill(server.adminToken);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Secrets" }).waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await issuer?.close();
  await closeReceiver?.();
}, 30_000);

function eventually<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 20_000 });
}

function row(name: string) {
  return page.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
}

async function adminQuery<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const answer = await server.graphql(server.adminToken, query, variables);
  if (answer.errors) throw new Error(answer.errors[0]?.message);
  return answer.data as T;
}

const SUBJECT = "repo:acme/app:environment:production";

describe("the console's trusts and webhooks, as a tenant admin", () => {
  it("offers the Trusts and Webhooks pages to a tenant admin", async () => {
    const tabs = await page
      .getByRole("navigation", { name: "Pages" })
      .getByRole("link")
      .allTextContents();
    expect(tabs).toEqual(["Secrets", "Environments", "Audit", "Tokens", "Trusts", "Webhooks"]);
  });

  it("creates a trust with claims, a role, environments and a lifetime, and lists it", async () => {
    await page.getByRole("link", { name: "Trusts" }).click();
    await page.getByRole("heading", { name: "Create a trust" }).waitFor();
    await page.getByText("No trusts yet.").waitFor();
    // A trust never issues admin tokens: the form does not offer it.
    const roles = await page
      .getByLabel("Role of the issued tokens")
      .locator("option")
      .allTextContents();
    expect(roles).toEqual(["USER", "RUNNER", "READ_ONLY_USER"]);

    await page.getByLabel("Issuer").fill(issuer.url);
    await page.getByLabel("Subject").fill(SUBJECT);
    await page.getByRole("button", { name: "Add a claim" }).click();
    await page.getByLabel("Claim 1 name").fill("repository_owner");
    await page.getByLabel("Claim 1 value").fill("acme");
    await page.getByRole("button", { name: "Add a claim" }).click();
    await page.getByLabel("Claim 2 name").fill("workflow");
    // A half-filled claim is refused before anything is sent.
    const sent = requests.length;
    await page.getByRole("button", { name: "Create trust" }).click();
    await page
      .getByRole("alert")
      .getByText(/Claim 2 needs both a name and a value/)
      .waitFor();
    expect(requests.slice(sent).filter((r) => r.body.includes("CreateIdentityTrust"))).toEqual([]);
    await page.getByRole("button", { name: "Remove claim 2" }).click();

    await page.getByLabel("Role of the issued tokens").selectOption("READ_ONLY_USER");
    await page.getByLabel("Token lifetime (minutes)").fill("30");
    await page.getByRole("group", { name: "Environments" }).getByLabel("production").check();
    await screenshot(page, "trust-form-desktop");
    await page.getByRole("button", { name: "Create trust" }).click();
    await page.getByText(`Created a trust for ${SUBJECT}.`).waitFor();

    const cells = await row(SUBJECT).getByRole("cell").allTextContents();
    expect(cells.slice(0, 7)).toEqual([
      issuer.url,
      "hush",
      "repository_owner=acme",
      "READ_ONLY_USER",
      "production",
      "30 min",
      expect.any(String),
    ]);
    const { identityTrusts } = await adminQuery<{ identityTrusts: unknown[] }>(
      "{ identityTrusts { issuer audience subject claims { name value } role environments ttlSeconds } }",
    );
    expect(identityTrusts).toEqual([
      {
        issuer: issuer.url,
        audience: "hush",
        subject: SUBJECT,
        claims: [{ name: "repository_owner", value: "acme" }],
        role: "READ_ONLY_USER",
        environments: ["production"],
        ttlSeconds: 1800,
      },
    ]);
    await screenshot(page, "trusts-desktop");
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("shows a workload's exchange in the audit log by subject, trust and token", async () => {
    const idToken = await issuer.sign({
      aud: "hush",
      sub: SUBJECT,
      repository_owner: "acme",
    });
    await adminQuery(
      "mutation ($t: String!) { exchangeIdentityToken(input: {token: $t}) { role } }",
      {
        t: idToken,
      },
    );
    await page.getByRole("link", { name: "Audit" }).click();
    await page.getByRole("heading", { name: "Audit" }).waitFor();
    await page.getByRole("main").getByLabel("Environment", { exact: true }).selectOption("");
    await page.getByLabel("Action").selectOption("EXCHANGE_IDENTITY_TOKEN");
    const exchange = page.getByRole("row").filter({ hasText: "Exchange identity token" });
    await exchange.first().waitFor();
    expect(await exchange.first().textContent()).toContain(`subject "${SUBJECT}" by trust `);
    expect(await page.content()).not.toContain(idToken);
  });

  it("deletes a trust only after a confirmation that names it", async () => {
    await page.getByRole("link", { name: "Trusts" }).click();
    await row(SUBJECT).waitFor();
    await page.getByRole("button", { name: `Delete the trust for ${SUBJECT}` }).click();
    const dialog = page.getByRole("dialog");
    expect(await dialog.getByRole("heading").textContent()).toBe(
      `Delete the trust for ${SUBJECT}?`,
    );
    expect(await dialog.textContent()).toContain("at most 30 min from now");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await row(SUBJECT).count()).toBe(1);

    await page.getByRole("button", { name: `Delete the trust for ${SUBJECT}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete trust" }).click();
    await page.getByText(`Deleted the trust for ${SUBJECT}.`).waitFor();
    await page.getByText("No trusts yet.").waitFor();
    const { identityTrusts } = await adminQuery<{ identityTrusts: unknown[] }>(
      "{ identityTrusts { id } }",
    );
    expect(identityTrusts).toEqual([]);
  });

  let signingSecret = "";

  it("creates a webhook whose signing secret is shown once, with a copy button", async () => {
    await page.getByRole("link", { name: "Webhooks" }).click();
    await page.getByRole("heading", { name: "Create a webhook" }).waitFor();
    await page.getByLabel("URL").fill(receiverUrl);
    await page
      .getByRole("main")
      .getByLabel("Environment", { exact: true })
      .selectOption("production");
    await page.getByRole("group", { name: "Events" }).getByLabel("Set value").check();
    await page.getByRole("group", { name: "Events" }).getByLabel("Delete secret").check();
    await page.getByRole("button", { name: "Create webhook" }).click();

    const field = page.getByLabel("Signing secret", { exact: true });
    await field.waitFor();
    signingSecret = await field.inputValue();
    expect(signingSecret.length).toBeGreaterThanOrEqual(16);
    await page.getByText("it is shown only this once").waitFor();
    await page.getByRole("button", { name: "Copy" }).click();
    await page.getByText("Copied to the clipboard.").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(signingSecret);
    await screenshot(page, "webhook-created-desktop");

    await page.getByRole("button", { name: "Done: hide it" }).click();
    await row(receiverUrl).waitFor();
    expect(await page.content()).not.toContain(signingSecret);
    const storage = await page.evaluate(() =>
      JSON.stringify({ session: { ...sessionStorage }, local: { ...localStorage } }),
    );
    expect(storage).not.toContain(signingSecret);
    const cells = await row(receiverUrl).getByRole("cell").allTextContents();
    expect(cells.slice(0, 4)).toEqual(["production", "Set value, Delete secret", "Enabled", "—"]);
  });

  it("shows the webhook's deliveries: status, attempts, outcome and the change", async () => {
    await adminQuery(
      'mutation { setSecret(input: {name: "API_KEY", value: "v4lue-for-hook"}, environment: "production") { version } }',
    );
    await eventually(() => received.length).toBe(1);
    const [delivery] = received;
    expect(delivery?.body).not.toContain("v4lue-for-hook");
    const expected = `sha256=${createHmac("sha256", signingSecret)
      .update(delivery?.body ?? "")
      .digest("hex")}`;
    expect(delivery?.headers["x-hush-signature"]).toBe(expected);

    // The URL leads to its deliveries, as a secret's name leads to its versions.
    await page.getByRole("link", { name: receiverUrl, exact: true }).click();
    await page.getByRole("heading", { name: `Deliveries to ${receiverUrl}` }).waitFor();
    expect(page.url()).toContain("#/webhooks/");
    const change = row("SET API_KEY v1 in production");
    await eventually(async () => {
      await page.getByRole("button", { name: "Refresh" }).click();
      return (await change.getByRole("cell").allTextContents())[0];
    }).toBe("Delivered");
    const cells = await change.getByRole("cell").allTextContents();
    expect(cells[1]).toBe("1");
    expect(cells[4]).toMatch(/^2\d\d /);
    expect(cells[5]).toBe(delivery?.headers["x-hush-delivery"]);
    await screenshot(page, "deliveries-desktop");
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole("link", { name: "← All webhooks" }).click();
    await eventually(
      async () => (await row(receiverUrl).getByRole("cell").allTextContents())[3],
    ).toMatch(/^2\d\d /);
  });

  it("stays readable at 390×844", async () => {
    await page.setViewportSize(PHONE);
    const { webhooks } = await adminQuery<{ webhooks: Array<{ id: string }> }>(
      "{ webhooks { id } }",
    );
    for (const [hash, name] of [
      ["#/trusts", "trusts"],
      ["#/webhooks", "webhooks"],
      [`#/webhooks/${webhooks[0]?.id}`, "deliveries"],
    ]) {
      await page.goto(`${server.url}/${hash}`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      if (name !== "trusts") await page.getByRole("table").waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        PHONE.width,
      );
      await screenshot(page, `${name}-phone`);
      expect(await seriousViolations(page)).toEqual([]);
    }
    await page.setViewportSize(DESKTOP);
  });

  it("deletes a webhook after a confirmation; the audit log names it", async () => {
    await page.goto(`${server.url}/#/webhooks`);
    await row(receiverUrl).waitFor();
    const { webhooks } = await adminQuery<{ webhooks: Array<{ id: string }> }>(
      "{ webhooks { id } }",
    );
    await page.getByRole("button", { name: `Delete the webhook to ${receiverUrl}` }).click();
    expect(await page.getByRole("dialog").getByRole("heading").textContent()).toBe(
      `Delete the webhook to ${receiverUrl}?`,
    );
    await page.getByRole("dialog").getByRole("button", { name: "Delete webhook" }).click();
    await page.getByText(/^Deleted the webhook to /).waitFor();
    await page.getByText("No webhooks yet.").waitFor();
    expect((await adminQuery<{ webhooks: unknown[] }>("{ webhooks { id } }")).webhooks).toEqual([]);

    await page.getByRole("link", { name: "Audit" }).click();
    await page.getByRole("heading", { name: "Audit" }).waitFor();
    await page.getByRole("main").getByLabel("Environment", { exact: true }).selectOption("");
    await page.getByLabel("Action").selectOption("DELETE_WEBHOOK");
    const deleted = page.getByRole("row").filter({ hasText: "Delete webhook" });
    await deleted.first().waitFor();
    expect(await deleted.first().textContent()).toContain(`webhook ${webhooks[0]?.id}`);
  });

  it("never sent the signing secret back to the server", () => {
    expect(signingSecret).not.toBe("");
    expect(requests.filter((r) => r.body.includes(signingSecret))).toEqual([]);
  });
});
