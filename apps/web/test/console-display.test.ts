import { hasUnsafeDisplayChars } from "@hush/schema/display-text";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, launchChromium, screenshot } from "./support/browser.js";
import { type HushServer, startHushServer } from "./support/hush-server.js";

let server: HushServer;
let browser: Browser;
let page: Page;

const AT = "2030-01-01T00:00:00.000Z";
const ACTOR_ID = "0190a4f2-5c3e-7b1a-8d2f-3e4c5b6a7d8e";
const HOOK_ID = "0190a4f2-0000-7000-8000-0000000000a1";

function change(action: string, name: string | null, version: number | null) {
  return {
    id: `c-${action}`,
    tenant: "default",
    environment: "production",
    name,
    action,
    version,
    at: AT,
    actor: "admin",
  };
}

// What a database from before names were checked could hold, or a hostile server could send.
const HOSTILE: Record<string, unknown> = {
  ApiTokens: {
    apiTokens: [
      {
        id: "0190a4f2-0000-7000-8000-000000000001",
        name: "evil\u202egnp.exe",
        role: "RUNNER",
        created: AT,
        expiresAt: null,
        revokedAt: null,
      },
    ],
  },
  IdentityTrusts: {
    identityTrusts: [
      {
        id: "tr-1",
        issuer: "https://issuer.example.com",
        audience: "hush",
        subject: "repo:acme/\u202eppa",
        claims: [{ name: "ref", value: "refs/heads/\u200bmain" }],
        role: "RUNNER",
        environments: null,
        ttlSeconds: 900,
        created: AT,
        createdBy: "nimda\u202e",
      },
    ],
  },
  Webhooks: {
    webhooks: [
      {
        id: HOOK_ID,
        url: "https://hooks.example.com/\u202eevil",
        environment: null,
        events: null,
        created: AT,
        createdBy: "admin",
        disabledAt: AT,
        lastOutcome: "500 \u001b[2JInternal Server Error",
      },
    ],
  },
  WebhookDeliveries: {
    webhookDeliveries: [
      {
        id: "d-3",
        change: change("DELETE", "OLD_KEY", 4),
        status: "PENDING",
        attempts: 2,
        lastAttemptAt: AT,
        nextAttemptAt: "2030-01-01T00:05:00.000Z",
        lastOutcome: "timed out after 10 s",
      },
      {
        id: "d-2",
        change: change("CREATE_ENVIRONMENT", null, null),
        status: "FAILED",
        attempts: 8,
        lastAttemptAt: AT,
        nextAttemptAt: null,
        lastOutcome: "500 \u202eoops",
      },
      {
        id: "d-1",
        change: change("SET", "API_KEY", 1),
        status: "DELIVERED",
        attempts: 1,
        lastAttemptAt: AT,
        nextAttemptAt: null,
        lastOutcome: "200 OK",
      },
    ],
  },
  AuditEvents: {
    auditEvents: [
      {
        id: "e1",
        action: "READ_SECRET_VALUE",
        secretName: "K",
        version: 1,
        outcome: "SUCCESS",
        actor: "nimda\u202e\u200b",
        actorTokenId: ACTOR_ID,
        at: AT,
      },
    ],
  },
};

/** Enables the mocked webhook: the next read of the list shows it enabled. */
function enableWebhook() {
  const [webhook] = (HOSTILE.Webhooks as { webhooks: Array<{ disabledAt: string | null }> })
    .webhooks;
  if (webhook !== undefined) webhook.disabledAt = null;
  return { enableWebhook: webhook };
}

beforeAll(async () => {
  [server, browser] = await Promise.all([startHushServer(), launchChromium()]);
  page = await browser.newPage({ viewport: DESKTOP });
  await page.route("**/graphql", async (route) => {
    const operation = (route.request().postDataJSON() as { query?: string } | null)?.query ?? "";
    const name = /^\s*(?:query|mutation) (\w+)/.exec(operation)?.[1] ?? "";
    const data = name === "EnableWebhook" ? enableWebhook() : HOSTILE[name];
    if (data === undefined) return route.continue();
    return route.fulfill({ contentType: "application/json", body: JSON.stringify({ data }) });
  });
  await page.goto(`${server.url}/`);
  await page.getByLabel("API token").fill(server.adminToken);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Secrets" }).waitFor();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
}, 30_000);

// The page's text, without the line breaks and tabs of its markup.
const shownText = async () =>
  (await page.evaluate(() => document.body.textContent ?? "")).replace(/[\n\t]/g, "");

describe("text from the server", () => {
  it("shows token names with bidi and control characters escaped", async () => {
    await page.getByRole("link", { name: "Tokens" }).click();
    await page.getByRole("rowheader", { name: "evil\\u202egnp.exe" }).waitFor();
    expect(hasUnsafeDisplayChars(await shownText())).toBe(false);
    expect(await page.getByRole("button", { name: "Revoke evil\\u202egnp.exe" }).count()).toBe(1);
  });

  it("shows audit actors escaped, with their token ids", async () => {
    await page.getByRole("link", { name: "Audit" }).click();
    // The row of the mocked event, not whatever row shows while the page loads.
    const row = page.getByRole("row").filter({ hasText: ACTOR_ID });
    await row.waitFor();
    const cells = await row.getByRole("cell").allTextContents();
    expect(cells).toContain("nimda\\u202e\\u200b");
    expect(cells).toContain(ACTOR_ID);
    expect(hasUnsafeDisplayChars(await shownText())).toBe(false);
  });

  it("shows trusts with their subjects, claims and creators escaped", async () => {
    await page.getByRole("link", { name: "Trusts" }).click();
    const row = page.getByRole("row").filter({ hasText: "issuer.example.com" });
    await row.waitFor();
    expect(await row.getByRole("rowheader").textContent()).toBe("repo:acme/\\u202eppa");
    const cells = await row.getByRole("cell").allTextContents();
    expect(cells).toContain("ref=refs/heads/\\u200bmain");
    expect(cells).toContain("All");
    expect(cells).toContain("15 min");
    expect(hasUnsafeDisplayChars(await shownText())).toBe(false);
  });

  it("shows a disabled webhook since when, with Enable, and its text escaped", async () => {
    await page.getByRole("link", { name: "Webhooks" }).click();
    const row = page.getByRole("row").filter({ hasText: "hooks.example.com" });
    await row.waitFor();
    const cells = await row.getByRole("cell").allTextContents();
    expect(cells[0]).toBe("All");
    expect(cells[1]).toBe("All");
    expect(cells[2]).toMatch(/^Disabled since \S/);
    expect(cells[3]).toBe("500 \\u001b[2JInternal Server Error");
    const url = "https://hooks.example.com/\\u202eevil";
    expect(await page.getByRole("button", { name: `Enable the webhook to ${url}` }).count()).toBe(
      1,
    );
    await screenshot(page, "webhook-disabled-desktop");
    expect(hasUnsafeDisplayChars(await shownText())).toBe(false);

    await page.getByRole("button", { name: `Enable the webhook to ${url}` }).click();
    await page
      .getByText(`Enabled the webhook to ${url}: deliveries resume with the next change.`)
      .waitFor();
    await expect
      .poll(async () => (await row.getByRole("cell").allTextContents())[2])
      .toBe("Enabled");
    expect(await page.getByRole("button", { name: `Enable the webhook to ${url}` }).count()).toBe(
      0,
    );
  });

  it("shows each delivery's status, tries and change, newest first", async () => {
    // The URL leads to its deliveries, as a secret's name leads to its versions.
    await page
      .getByRole("link", { name: "https://hooks.example.com/\\u202eevil", exact: true })
      .click();
    await page
      .getByRole("heading", { name: "Deliveries to https://hooks.example.com/\\u202eevil" })
      .waitFor();
    await page.getByRole("row").nth(3).waitFor();
    const rows = await page.getByRole("rowheader").allTextContents();
    expect(rows).toEqual([
      "DELETE OLD_KEY v4 in production",
      "CREATE_ENVIRONMENT in production",
      "SET API_KEY v1 in production",
    ]);
    const pending = await page.getByRole("row").nth(1).getByRole("cell").allTextContents();
    expect(pending[0]).toBe("Pending");
    expect(pending[1]).toBe("2");
    expect(pending[3]).not.toBe("—");
    const failed = await page.getByRole("row").nth(2).getByRole("cell").allTextContents();
    expect(failed.slice(0, 2)).toEqual(["Failed", "8"]);
    expect(failed[3]).toBe("—");
    expect(failed[4]).toBe("500 \\u202eoops");
    await screenshot(page, "deliveries-statuses-desktop");
    expect(hasUnsafeDisplayChars(await shownText())).toBe(false);
  });
});
