import { hasUnsafeDisplayChars } from "@hush/schema/display-text";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESKTOP, launchChromium } from "./support/browser.js";
import { type HushServer, startHushServer } from "./support/hush-server.js";

let server: HushServer;
let browser: Browser;
let page: Page;

const AT = "2030-01-01T00:00:00.000Z";
const ACTOR_ID = "0190a4f2-5c3e-7b1a-8d2f-3e4c5b6a7d8e";

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

beforeAll(async () => {
  [server, browser] = await Promise.all([startHushServer(), launchChromium()]);
  page = await browser.newPage({ viewport: DESKTOP });
  await page.route("**/graphql", async (route) => {
    const operation = (route.request().postDataJSON() as { query?: string } | null)?.query ?? "";
    const name = /^\s*query (\w+)/.exec(operation)?.[1] ?? "";
    const data = HOSTILE[name];
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
});
